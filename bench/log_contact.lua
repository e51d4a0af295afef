-- Logging a contact: an API write into the activities table (1M rows already there).
-- Every scenario asks for gzip, as the browser does (the server compresses pages and JSON).
local path = "/api/v1/partners/" .. os.getenv("PARTNER") .. "/activities"
local headers = { ["Cookie"] = os.getenv("COOKIE"), ["Content-Type"] = "application/json", ["Sec-Fetch-Site"] = "same-origin", ["Accept-Encoding"] = "gzip" }
local body = '{"kind":"call","occurred_at":"2026-11-20T09:30:00+08:00","summary":"Benchmark call","next_step":"Follow up","next_step_due":"2026-12-01"}'
request = function()
  return wrk.format("POST", path, headers, body)
end
