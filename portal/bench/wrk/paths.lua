-- GET a list of paths, one a line in the file given as first argument; 200 is expected.
-- Each request comes from a client address of its own (see common.client_address).
--
--   wrk -t T ... -s paths.lua http://127.0.0.1:8301 -- paths.txt loop T
--       every thread cycles through the list, each from its own starting point;
--   wrk -t N -c N ... -s paths.lua http://127.0.0.1:8301 -- paths.txt once N
--       one connection a thread: together the threads request every path exactly once,
--       then stop (the cold pass of the search mix: each query meets an empty cache).
local here = debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "./"
local common = dofile(here .. "common.lua")

local paths, position, mode, answered, headers, thread_count
local sent = 0

setup = common.setup
done = common.done

function init(args)
  common.init_thread()
  local all = common.read_lines(args[1])
  mode = args[2] or "loop"
  thread_count = tonumber(args[3]) or 1
  headers = common.base_headers()
  if mode == "once" then
    paths = {}
    for index = thread_id + 1, #all, thread_count do
      paths[#paths + 1] = all[index]
    end
    position = 0
  else
    paths = all
    -- Spread the threads over the list so that they do not ask for the same page at once.
    position = math.floor(thread_id * #all / thread_count) % #all
  end
  answered = 0
end

function request()
  if mode == "once" then
    common.mark_start()
  end
  position = position % #paths + 1
  sent = sent + 1
  headers["X-Forwarded-For"] = common.client_address(sent)
  return wrk.format("GET", paths[position], headers)
end

function response(status, response_headers, body)
  answered = answered + 1
  if status ~= 200 then
    common.bad(status)
  end
  if mode == "once" and answered >= #paths then
    common.stop_thread()
  end
end
