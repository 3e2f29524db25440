-- A party ends a call (hang up, or media that could not start). ARGV: prefix, role, userId,
-- callId, reason, now. Ending an ended call answers it as it is.
local role, userId, callId, reason, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local c = call_of_party(callId, role, userId)
if not c then
  return fail('not_found')
end
local ended = end_call(callId, reason, now)
if not ended then
  return ok({ call = c, changed = false })
end
return ok({ call = ended, changed = true })
