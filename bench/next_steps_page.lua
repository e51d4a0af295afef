-- The next-steps page (SSR) of the bench user, who logged every seeded activity: three buckets
-- of up to 200 open steps each, read off the partial indexes of open steps.
-- Every scenario asks for gzip, as the browser does (the server compresses pages and JSON).
local headers = { ["Cookie"] = os.getenv("COOKIE"), ["Accept"] = "text/html", ["Accept-Encoding"] = "gzip" }
request = function()
  return wrk.format("GET", "/next-steps", headers)
end
