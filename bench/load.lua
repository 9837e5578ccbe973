-- A mix of Parley's public pages and filter combinations, picked at random; counts every
-- response whose status is not 200 so that load.sh can fail on it.
local paths = {
  "/",
  "/?analysis=exclude",
  "/?round=geneva-talks-2022",
  "/?as_of=nato-russia-council-2022",
  "/?issue=nato-enlargement&analysis=exclude",
  "/?actor=russia&stance=demands&stance=rejects",
  "/?officials=separate&source=trenin-week-of-talks",
  "/?actor_kind=analyst",
  "/claims/?actor=russia&issue=non-enlargement-former-soviet",
  "/claims/?actor=united-states&round=geneva-talks-2022",
  "/issues/nato-enlargement/",
  "/issues/intermediate-range-missiles/",
  "/actors/russia/",
  "/actors/sergey-lavrov/",
  "/rounds/geneva-talks-2022/",
  "/demands/russia-no-nato-expansion/",
  "/sources/trenin-week-of-talks/",
  "/search/?q=NATO",
  "/table.csv?round=geneva-talks-2022",
  "/claims.json?issue=arms-control",
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("unexpected_status %d\n", total))
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout + summary.errors.status))
  io.write(string.format("latency_p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("latency_p99_ms %.2f\n", latency:percentile(99) / 1000))
end
