-- wrk script: the traffic of an election evening. 70% nearest API queries
-- (nearest.lua's), 20% results pages for a random point, 10% static files.
-- Environment: as nearest.lua, plus BENCH_DIR (where nearest.lua is).
dofile(os.getenv("BENCH_DIR") .. "/nearest.lua")

local election = os.getenv("ELECTION") or "gr2026"
local statics = { "/pkg/kieskaart.css", "/favicon.svg", "/embed.js" }

function request()
  local draw = math.random()
  if draw < 0.7 then
    return wrk.format("GET", nearest_path())
  elseif draw < 0.9 then
    local lat, lon = random_point()
    return wrk.format("GET", string.format("/?e=%s&lat=%.5f&lon=%.5f", election, lat, lon))
  else
    return wrk.format("GET", statics[math.random(#statics)])
  end
end
