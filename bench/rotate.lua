-- wrk script: each request takes the next path from the file named by BENCH_PATHS,
-- round robin, so that consecutive requests go to different councils.
local paths = {}
local index = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  -- each wrk thread starts at a different place in the list
  index = math.random(#paths)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
