// GOV.UK Frontend's components (menus, error summaries); every page works without it.
import { initAll } from "./vendor/govuk/govuk-frontend.min.js";

initAll();
