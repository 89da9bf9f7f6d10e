-- Shared by the wrk scripts of `make bench-load` (wrk 4, LuaJIT).
--
-- Each scenario script loads this file, keeps its per-thread figures with `common.count`
-- (numbers, summed over the threads) and `common.append` (lists, joined), and ends
-- with `done = common.done`: wrk's own summary and latency percentiles plus those
-- figures are printed as one line, "BENCH-JSON {...}", that portal/bench/wrkrun.py reads.
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]])

local common = {}
local CLOCK_MONOTONIC = 1
local now_buffer = ffi.new("bench_timespec")

-- Seconds on a monotonic clock (wrk gives Lua no clock of its own).
function common.now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_buffer)
  return tonumber(now_buffer.tv_sec) + tonumber(now_buffer.tv_nsec) / 1e9
end

function common.read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  return lines
end

-- Figures cross from a thread's Lua state to the main one only as numbers and strings:
-- wrk 4.1's thread:get() corrupts the thread's stack when it copies a table (it pops the
-- table twice), which crashes wrk or garbles the figures at random.
function common.count(name, amount)
  local global = "count_" .. name
  if _G[global] == nil then
    _G[global] = 0
    count_names = count_names .. name .. " "
  end
  _G[global] = _G[global] + (amount or 1)
end

-- Lists are newline-separated strings (numbers written with 9 significant digits).
function common.append(name, value)
  local global = "list_" .. name
  if _G[global] == nil then
    _G[global] = ""
    list_names = list_names .. name .. " "
  end
  if type(value) == "number" then
    value = string.format("%.9g", value)
  end
  _G[global] = _G[global] .. value .. "\n"
end

-- A response that is not the one expected: counted as an error, with its status.
function common.bad(status, why)
  common.count("bad")
  common.count("status_" .. tostring(status))
  if why then
    common.count(why)
  end
end

-- The value of a response header, whatever its case (wrk keeps the last of repeated headers).
function common.header(headers, wanted)
  wanted = wanted:lower()
  for name, value in pairs(headers) do
    if name:lower() == wanted then
      return value
    end
  end
  return nil
end

-- Headers sent with every request: the portal runs behind a TLS proxy in production
-- (SECURE_SSL_REDIRECT), so without this header every answer would be a redirect.
function common.base_headers()
  return { ["X-Forwarded-Proto"] = "https", ["Host"] = wrk.headers["Host"] }
end

-- A client address of its own for the n-th request of a thread (X-Forwarded-For; the portal
-- trusts one proxy): per-address limits then see citizens, not one machine sending everything.
function common.client_address(number)
  return string.format("10.%d.%d.%d", 100 + thread_id % 100, math.floor(number / 256) % 256, number % 256)
end

-- JSON, enough for numbers, strings, booleans, arrays and string-keyed tables.
local function encode(value)
  local kind = type(value)
  if kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then
      return "null"
    end
    if value == math.floor(value) and math.abs(value) < 1e15 then
      return string.format("%d", value)
    end
    return string.format("%.9g", value)
  elseif kind == "string" then
    local escaped = value:gsub('[%c"\\]', function(char)
      return string.format("\\u%04x", char:byte())
    end)
    return '"' .. escaped .. '"'
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "table" then
    local parts = {}
    if #value > 0 then
      for _, item in ipairs(value) do
        parts[#parts + 1] = encode(item)
      end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do
      parts[#parts + 1] = encode(tostring(key)) .. ":" .. encode(item)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end
common.encode = encode

-- wrk calls setup() in its main Lua state once per thread, before the thread's init().
local threads = {}
function common.setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

function common.init_thread()
  count_names = ""
  list_names = ""
end

-- Scripts that stop by themselves call this when they send their first request.
function common.mark_start()
  if first_at == nil then
    first_at = common.now()
  end
end

-- A thread that has done its share stops. wrk's main thread would still sleep for the whole
-- --duration: each stopping thread adds a byte to $BENCH_STOP_FILE, and portal/bench/wrkrun.py
-- wakes wrk up (SIGINT, as Ctrl-C does) once every thread has. The run's length is then
-- measured here, from the first request sent to the last answer read.
function common.stop_thread()
  if last_at ~= nil then
    return
  end
  last_at = common.now()
  local path = os.getenv("BENCH_STOP_FILE")
  if path then
    local file = io.open(path, "a")
    file:write("x")
    file:close()
  end
  wrk.thread:stop()
end

function common.done(summary, latency, requests)
  local result = {
    duration_us = summary.duration,
    requests = summary.requests,
    bytes = summary.bytes,
    threads = #threads,
    errors = {
      connect = summary.errors.connect,
      read = summary.errors.read,
      write = summary.errors.write,
      status = summary.errors.status,
      timeout = summary.errors.timeout,
    },
    latency_us = {
      p50 = latency:percentile(50),
      p90 = latency:percentile(90),
      p95 = latency:percentile(95),
      p99 = latency:percentile(99),
      max = latency.max,
      mean = latency.mean,
    },
    counters = {},
    lists = {},
  }
  local first, last, all_stopped = math.huge, 0, true
  for _, thread in ipairs(threads) do
    local started, stopped = thread:get("first_at"), thread:get("last_at")
    if started and stopped then
      first, last = math.min(first, started), math.max(last, stopped)
    else
      all_stopped = false
    end
    for name in (thread:get("count_names") or ""):gmatch("%S+") do
      result.counters[name] = (result.counters[name] or 0) + thread:get("count_" .. name)
    end
    for name in (thread:get("list_names") or ""):gmatch("%S+") do
      local joined = result.lists[name] or {}
      for item in thread:get("list_" .. name):gmatch("([^\n]*)\n") do
        joined[#joined + 1] = tonumber(item) or item
      end
      result.lists[name] = joined
    end
  end
  if all_stopped and #threads > 0 then
    result.active_us = (last - first) * 1e6
  end
  io.write("BENCH-JSON " .. encode(result) .. "\n")
end

return common
