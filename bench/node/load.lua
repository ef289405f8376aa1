-- wrk script: with SUBJECTS=N each request goes to PATH/subject-<random 1..N>; done() prints a RESULT line.
local path = os.getenv("BENCH_PATH") or "/hello"
local subjects = tonumber(os.getenv("SUBJECTS") or "0")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", os.time() * 100 + threads)
end
function init(args)
  math.randomseed(seed or os.time())
end
if subjects > 0 then
  function request()
    return wrk.format(nil, string.format("%s/subject-%d", path, math.random(subjects)))
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    ms(50), ms(99), e.status, e.connect + e.read + e.write + e.timeout))
end
