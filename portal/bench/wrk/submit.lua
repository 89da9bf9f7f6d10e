-- A citizen sends a request: fetch the step-2 form page, then POST it. One connection a
-- thread (wrk -t N -c N), so each thread knows which of its requests an answer is for.
--
--   wrk -t 20 -c 20 -d 45s ... -s submit.lua http://127.0.0.1:8301 -- \
--       FORM_PATH STEP2_METHOD STEP2_FIELDS CONFIRMATION_PREFIX SECONDS
--
-- FORM_PATH            /fr/demande/nid-de-poule/
-- STEP2_METHOD         how the portal hands out the step-2 page: GET (the step-1 fields in the
--                      query string) or POST (the step-1 form sent without a CSRF token)
-- STEP2_FIELDS         the step-1 form's own hidden fields, url-encoded (may be "-": none)
-- CONFIRMATION_PREFIX  where a successful POST redirects, e.g. /fr/demande/confirmation/
-- SECONDS              after this long a thread stops at its next answer: no POST is ever
--                      left in flight, so the database holds exactly the requests answered
--
-- From each step-2 page the script takes what a browser would: the csrftoken cookie
-- (Set-Cookie) and the form's hidden fields (csrfmiddlewaretoken, submission_token...),
-- then POSTs the form as multipart/form-data, as the browser does for this form. Each
-- submission comes from its own client address (X-Forwarded-For, TRUSTED_PROXY_COUNT=1),
-- as citizens do behind the city's proxy. Lists handed back: the confirmation URLs (to
-- match against the database) and the latencies in seconds.
local here = debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "./"
local common = dofile(here .. "common.lua")

setup = common.setup
done = common.done

local SUBJECTS = {
  "Nid-de-poule profond devant le 12, rue Principale",
  "Trou dans la chaussee au coin Principale et des Erables",
  "Nid de poule dangereux pour les velos, boulevard du Lac",
  "Pothole in front of 240 Lake Boulevard",
  "Chaussee defoncee apres le degel, rang Saint-Joseph",
}
local BOUNDARY = "----BenchLoadBoundary7MA4YWxkTrZu0gW"

local form_path, step2_method, step2_fields, confirmation_prefix, deadline
local origin, headers
local waiting -- "form" or "post": what the request in flight is
local form -- what the last step-2 page gave: cookie and hidden fields
local sent_at, pair_started_at, subject
local number = 0

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(char)
    return string.format("%%%02X", char:byte())
  end))
end

local function unescape(text)
  return (text:gsub("&quot;", '"'):gsub("&#x27;", "'"):gsub("&#39;", "'"):gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&amp;", "&"))
end

local function attribute(tag, name)
  return tag:match("%s" .. name .. '="([^"]*)"') or tag:match("%s" .. name .. "='([^']*)'")
end

-- The hidden fields of the form that holds the submission token, or nil.
local function hidden_fields(body)
  for block in body:gmatch("<form.-</form>") do
    if block:find('name="submission_token"', 1, true) then
      local fields = {}
      for tag in block:gmatch("<input[^>]*>") do
        local kind = attribute(tag, "type")
        local name = attribute(tag, "name")
        if name and kind and kind:lower() == "hidden" then
          fields[#fields + 1] = { name, unescape(attribute(tag, "value") or "") }
        end
      end
      return fields
    end
  end
  return nil
end

local function field_value(fields, wanted)
  for _, field in ipairs(fields) do
    if field[1] == wanted then
      return field[2]
    end
  end
  return nil
end

local function csrf_cookie(response_headers)
  local cookie = common.header(response_headers, "Set-Cookie") or ""
  return cookie:match("csrftoken=([^;]+)")
end

function init(args)
  common.init_thread()
  form_path = args[1]
  step2_method = args[2]
  step2_fields = (args[3] ~= "-") and args[3] or ""
  confirmation_prefix = args[4]
  deadline = common.now() + tonumber(args[5])
  headers = common.base_headers()
  origin = "https://" .. headers["Host"]
end

local function step2_request()
  number = number + 1
  subject = SUBJECTS[(thread_id + number) % #SUBJECTS + 1] .. " (" .. thread_id .. "-" .. number .. ")"
  local fields = "subject=" .. urlencode(subject) .. "&description=" .. urlencode("Un trou d'environ 30 cm, "
    .. "profond, dans la voie de droite; les voitures l'evitent de justesse.")
  if step2_fields ~= "" then
    fields = step2_fields .. "&" .. fields
  end
  local request_headers = common.base_headers()
  request_headers["X-Forwarded-For"] = common.client_address(number)
  waiting = "form"
  if step2_method == "GET" then
    return wrk.format("GET", form_path .. "?" .. fields, request_headers)
  end
  request_headers["Content-Type"] = "application/x-www-form-urlencoded"
  request_headers["Origin"] = origin
  request_headers["Referer"] = origin .. form_path
  return wrk.format("POST", form_path, request_headers, fields)
end

local function submit_request()
  local parts = {}
  local function add(name, value)
    parts[#parts + 1] = "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"" .. name
      .. "\"\r\n\r\n" .. value .. "\r\n"
  end
  local visible = {
    subject = subject,
    description = "Un trou d'environ 30 cm, profond, dans la voie de droite.",
    address = number .. ", rue Principale",
    occurred_on = "",
    name = "Citoyen " .. thread_id .. "-" .. number,
    email = "citoyen-" .. thread_id .. "-" .. number .. "@example.org",
    phone = "",
    consent = "on",
    website = "",
  }
  for name, value in pairs(visible) do
    add(name, value)
  end
  for _, field in ipairs(form.fields) do
    if visible[field[1]] == nil then
      add(field[1], field[2])
    end
  end
  -- What a browser sends for an empty file input.
  parts[#parts + 1] = "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"attachments\"; "
    .. "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
  parts[#parts + 1] = "--" .. BOUNDARY .. "--\r\n"
  local request_headers = common.base_headers()
  request_headers["X-Forwarded-For"] = common.client_address(number)
  request_headers["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY
  request_headers["Cookie"] = "csrftoken=" .. form.cookie
  request_headers["Origin"] = origin
  request_headers["Referer"] = origin .. form_path
  form = nil -- used once: a resent POST would be the same submission
  waiting = "post"
  return wrk.format("POST", form_path, request_headers, table.concat(parts))
end

function request()
  common.mark_start()
  sent_at = common.now()
  if form then
    return submit_request()
  end
  pair_started_at = sent_at
  return step2_request()
end

function response(status, response_headers, body)
  local now = common.now()
  if waiting == "form" then
    common.count("form_pages")
    common.append("form_seconds", now - sent_at)
    local fields = status == 200 and hidden_fields(body)
    if not fields then
      common.bad(status, "form_without_token")
    elseif not field_value(fields, "csrfmiddlewaretoken") then
      common.bad(status, "form_without_csrf")
    else
      local cookie = csrf_cookie(response_headers)
      if not cookie then
        -- wrk keeps only the last of repeated headers: a masked token is also a valid cookie.
        common.count("csrf_cookie_from_form")
        cookie = field_value(fields, "csrfmiddlewaretoken")
      end
      form = { cookie = cookie, fields = fields }
    end
  elseif waiting == "post" then
    common.count("posts")
    common.append("post_seconds", now - sent_at)
    local location = common.header(response_headers, "Location") or ""
    if (status == 302 or status == 303) and location:find(confirmation_prefix, 1, true) then
      common.count("submitted")
      common.append("confirmations", location)
      common.append("pair_seconds", now - pair_started_at)
    else
      common.bad(status, "post_refused")
    end
  end
  waiting = nil
  if now >= deadline then
    common.stop_thread()
  end
end
