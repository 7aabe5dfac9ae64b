-- post.lua - wrk script for `make bench`: each request submits a new
-- application for the next student of the thread's share of the list.
-- The list (one "cookie<TAB>body" per line) is the first script argument.
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
	table.insert(threads, thread)
end

function init(args)
	rows = {}
	local n = 0
	for line in io.lines(args[1]) do
		-- thread k of N takes lines k, k+N, ...
		if n % tonumber(args[2]) == id then
			local cookie, body = line:match("^([^\t]*)\t(.*)$")
			table.insert(rows, {cookie, body})
		end
		n = n + 1
	end
	i = 0
end

function request()
	i = i + 1
	local row = rows[i]
	if row == nil then
		-- out of students: ask for a page that changes nothing
		return wrk.format("GET", "/healthz")
	end
	return wrk.format("POST", "/applications", {
		["Cookie"] = row[1],
		["Content-Type"] = "application/x-www-form-urlencoded",
	}, row[2])
end
