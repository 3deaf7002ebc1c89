-- wrk script for bench/worst.sh: GET, in turn, the API paths of one case
-- (or of every case, mixed) from the file bench/national.py wrote.
--
-- Environment: QUERIES (that file), CASE (a label, or "mix" for every
-- line), BENCH_DIR (where nearest.lua is: its setup() numbers the threads
-- and its done() prints the RESULT line bench/lib.sh parses).
dofile(os.getenv("BENCH_DIR") .. "/nearest.lua")

local paths = {}
local next_path = 1

function init(args)
  local wanted = os.getenv("CASE") or "mix"
  for line in io.lines(os.getenv("QUERIES")) do
    local label, path = line:match("^(%S+) (%S+)$")
    if wanted == "mix" or wanted == label then
      paths[#paths + 1] = path
    end
  end
  -- Each thread starts elsewhere in the list.
  next_path = (thread_number or 0) * 997 % #paths + 1
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end
