-- wrk script: GET /api/v1/elections/$ELECTION/stations/nearest with a fresh
-- pseudo-random point over the Netherlands' bounding box on every request.
-- Used by bench/load.sh and bench/postgis.sh (through bench/lib.sh), and
-- by bench/mixed.lua for its share of nearest queries.
--
-- Environment (read once per wrk thread):
--   ELECTION         election id (default gr2026)
--   K                stations per answer, the API's k (default 5)
--   NEEDS            optional, adds &needs=$NEEDS (e.g. wheelchair)
--   SEED             base seed; thread n uses SEED*1000+n, so runs repeat (default 1)
--   ACCEPT_ENCODING  optional Accept-Encoding header (wrk sends none by default)
--
-- done() prints one machine-readable line starting with "RESULT" that lib.sh
-- parses; latencies there are in milliseconds.

-- Same box as bench/postgis.sh's pgbench script (lib.sh exports it).
local lat_min = tonumber(os.getenv("LAT_MIN") or "50.75")
local lat_max = tonumber(os.getenv("LAT_MAX") or "53.55")
local lon_min = tonumber(os.getenv("LON_MIN") or "3.35")
local lon_max = tonumber(os.getenv("LON_MAX") or "7.22")

-- setup() runs in the main Lua state once per thread; give each thread a
-- number so that the threads draw different points.
local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

local prefix, suffix

function init(args)
  local seed = tonumber(os.getenv("SEED") or "1")
  math.randomseed(seed * 1000 + (thread_number or 0))
  local election = os.getenv("ELECTION") or "gr2026"
  prefix = "/api/v1/elections/" .. election .. "/stations/nearest?lat="
  suffix = "&k=" .. (os.getenv("K") or "5")
  local needs = os.getenv("NEEDS") or ""
  if needs ~= "" then
    suffix = suffix .. "&needs=" .. needs
  end
  local accept = os.getenv("ACCEPT_ENCODING") or ""
  if accept ~= "" then
    wrk.headers["Accept-Encoding"] = accept
  end
end

-- A random point in the box, and its nearest query; global, so that
-- mixed.lua can use them.
function random_point()
  return lat_min + math.random() * (lat_max - lat_min), lon_min + math.random() * (lon_max - lon_min)
end

function nearest_path()
  local lat, lon = random_point()
  return string.format("%s%.6f&lon=%.6f%s", prefix, lat, lon, suffix)
end

function request()
  return wrk.format("GET", nearest_path())
end

-- No response() hook on purpose: defining one makes wrk hand every body to
-- Lua, which costs the load generator CPU that the server then lacks (both
-- share the machine). wrk still counts non-2xx/3xx answers in errors.status.

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f mean_ms=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f bytes=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency.mean / 1e3, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency:percentile(99.9) / 1e3, latency.max / 1e3,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
