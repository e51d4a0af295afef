-- The bare stack's list: an indexed prefix query, 50 rows of JSON (shared/peers/bare-stack).
request = function()
  return wrk.format("GET", "/partners?q=Ab&limit=50", { ["Accept-Encoding"] = "gzip" })
end
