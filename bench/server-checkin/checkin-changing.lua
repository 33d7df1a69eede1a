-- wrk script: check-ins whose usage report changes with every request, so each one is written.
local prefix = '{"license_id":"' .. os.getenv("KT_LICENSE") .. '","instance_id":"bench-instance",'
  .. '"instance_domain":"tools.bench.example","client_version":"bench","usage":{"users":'
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("KT_TOKEN"),
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", nil, headers, prefix .. n .. "}}")
end
