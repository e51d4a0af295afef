-- The partner page, rendered on the server (SSR) with its contacts and timeline.
local path = "/partners/" .. os.getenv("PARTNER")
local headers = { ["Cookie"] = os.getenv("COOKIE"), ["Accept"] = "text/html" }
request = function()
  return wrk.format("GET", path, headers)
end
