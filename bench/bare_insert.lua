-- The bare stack's insert: one row into contacts (shared/peers/bare-stack).
local body = '{"partner_id":1,"kind":"call","note":"Benchmark call"}'
request = function()
  return wrk.format("POST", "/contacts", { ["Content-Type"] = "application/json" }, body)
end
