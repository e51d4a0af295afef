-- The partner page, rendered on the server (SSR) with its contacts and timeline.
-- Every scenario asks for gzip, as the browser does (the server compresses pages and JSON).
local path = "/partners/" .. os.getenv("PARTNER")
local headers = { ["Cookie"] = os.getenv("COOKIE"), ["Accept"] = "text/html", ["Accept-Encoding"] = "gzip" }
request = function()
  return wrk.format("GET", path, headers)
end
