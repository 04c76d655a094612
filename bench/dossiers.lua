-- wrk script: POST /api/v1/dossiers, one distinct unit per request.
-- args: <first unit number> <body template file> <token>; thread t of T takes first+t, first+t+T, …
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  first = tonumber(args[1])
  local f = assert(io.open(args[2], "r"))
  template = f:read("*a")
  f:close()
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[3]}
  nthreads = tonumber(args[4])
  counter = 0
end

function request()
  local n = first + tid + counter * nthreads
  counter = counter + 1
  local body = template:gsub("__UNIT__", string.format("bench-u%06d", n))
  return wrk.format("POST", "/api/v1/dossiers", headers, body)
end
