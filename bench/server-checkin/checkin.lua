-- wrk script: POST a check-in (or the same request to the do-nothing endpoint) with the license token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KT_TOKEN")
wrk.body = '{"license_id":"' .. os.getenv("KT_LICENSE") .. '","instance_id":"bench-instance",'
  .. '"instance_domain":"tools.bench.example","usage":{"users":42},"client_version":"bench"}'
