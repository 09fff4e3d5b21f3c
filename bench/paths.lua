-- wrk script for bench/lookup.py: wrk ... -s bench/paths.lua URL -- PREFIX FILE THREADS
-- Each thread walks its own slice of FILE's lines (each line appended to PREFIX), so no path
-- is asked twice before a slice has been walked through.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local prefix, count = args[1], tonumber(args[3])
  local all = {}
  for line in io.lines(args[2]) do
    all[#all + 1] = prefix .. line
  end
  local size = math.max(1, math.floor(#all / count))
  paths = {}
  for n = id * size + 1, math.min(#all, (id + 1) * size) do
    paths[#paths + 1] = all[n]
  end
  at = 0
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end
