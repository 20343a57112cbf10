-- wrk script: each request takes the next line of the file named by BENCH_PATHS, round
-- robin, so that consecutive requests go to different councils. A line is
--   path [TAB cookie [TAB body]]
-- a GET of the path, with the Cookie header when a cookie is given (a signed-in clerk), or a
-- POST of the url-encoded body when a body is given. Every request says it accepts gzip,
-- as every browser does (a kept page is stored gzipped and sent as it is to such a client;
-- servers that do not compress answer as before).
--
-- With BENCH_COUNT set, every answer is counted by kind (ok: 2xx; redirect: 3xx but not to
-- the sign-in page; login: a redirect to the sign-in page, i.e. not signed in; busy: 503;
-- other), and the totals of every thread are printed at the end as
--   BENCH_COUNTS ok=N redirect=N login=N busy=N other=N
local lines = {}
local index = 0
ok, redirect, login, busy, other = 0, 0, 0, 0, 0

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
  return fields
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then
      local fields = split(line)
      local headers = {["Accept-Encoding"] = "gzip"}
      local method, body = "GET", nil
      if fields[2] and fields[2] ~= "" then headers["Cookie"] = fields[2] end
      if fields[3] and fields[3] ~= "" then
        method, body = "POST", fields[3]
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      lines[#lines + 1] = wrk.format(method, fields[1], headers, body)
    end
  end
  -- each wrk thread starts at a different place in the list
  index = math.random(#lines)
end

function request()
  index = index % #lines + 1
  return lines[index]
end

if os.getenv("BENCH_COUNT") then
  local threads = {}

  function setup(thread)
    threads[#threads + 1] = thread
  end

  function response(status, headers, body)
    if status == 503 then
      busy = busy + 1
    elseif status >= 200 and status < 300 then
      ok = ok + 1
    elseif status >= 300 and status < 400 then
      local location = headers["Location"] or headers["location"] or ""
      if location:find("/login", 1, true) then login = login + 1 else redirect = redirect + 1 end
    else
      other = other + 1
    end
  end

  function done(summary, latency, requests)
    local totals = {ok = 0, redirect = 0, login = 0, busy = 0, other = 0}
    for _, thread in ipairs(threads) do
      for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
    end
    io.write(string.format("BENCH_COUNTS ok=%d redirect=%d login=%d busy=%d other=%d\n",
      totals.ok, totals.redirect, totals.login, totals.busy, totals.other))
  end
end
