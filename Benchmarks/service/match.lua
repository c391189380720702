-- wrk script: POST /api/v1/match with a different generated person each request.
local bodies = {}
for line in io.lines(os.getenv("ZHAOREN_QUERIES") or "queries.jsonl") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/v1/match", {["Authorization"] = "Bearer bench-token", ["Content-Type"] = "application/json"}, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d, non2xx %d\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
