// Lua scripts of the Redis broker: each does in one round trip what would otherwise take many.
// Replies use RESP2 shapes (the broker connects with protocol 2).

/**
 * Moves due delayed messages into their streams, then reads up to ARGV[3] new entries from the
 * streams in order of preference (creating the consumer group on first use).
 * KEYS: n streams, then their n delayed sets. ARGV: group, consumer, count, now.
 * Returns { {queueIndex, id, fields}…, nextEta } where nextEta is the earliest remaining eta or -1.
 */
export const FETCH = `
local n = #KEYS / 2
local group, consumer, count, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local out = {}
local nextEta = -1
for i = 1, n do
  local stream, delayed = KEYS[i], KEYS[n + i]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 500)
  for _, member in ipairs(due) do
    local sep = string.find(member, '\\n', 1, true)
    redis.call('XADD', stream, '*', 'm', string.sub(member, sep + 1))
  end
  if #due > 0 then redis.call('ZREM', delayed, unpack(due)) end
  local first = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
  if first[2] then
    local eta = tonumber(first[2])
    if nextEta < 0 or eta < nextEta then nextEta = eta end
  end
  if count > 0 then
    local res = redis.pcall('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')
    if type(res) == 'table' and res.err then
      redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
      res = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')
    end
    if res then
      for _, entry in ipairs(res[1][2]) do
        out[#out + 1] = { i, entry[1], entry[2] }
        count = count - 1
      end
    end
  end
end
out[#out + 1] = nextEta
return out
`;

/**
 * Takes over what others hold too long: everything a dead consumer (no liveness key) held, and
 * entries idle past the visibility timeout (XAUTOCLAIM). Dead consumers holding nothing are removed.
 * KEYS: streams. ARGV: group, consumer, minIdleMs, count, livenessKeyPrefix.
 * Returns { {queueIndex, id, fields, deliveryCount}… }.
 */
export const RECLAIM = `
local group, me, minIdle, count, liveness = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local out = {}
local function deliver(i, stream, entries)
  for _, entry in ipairs(entries) do
    if entry and entry ~= false and entry[2] then
      local p = redis.call('XPENDING', stream, group, entry[1], entry[1], 1)
      out[#out + 1] = { i, entry[1], entry[2], p[1] and p[1][4] or 1 }
    end
  end
end
for i, stream in ipairs(KEYS) do
  local consumers = redis.pcall('XINFO', 'CONSUMERS', stream, group)
  if not consumers.err then
    for _, c in ipairs(consumers) do
      local name, pending = c[2], c[4]
      if name ~= me and redis.call('EXISTS', liveness .. name) == 0 then
        if pending == 0 then
          redis.call('XGROUP', 'DELCONSUMER', stream, group, name)
        elseif #out < count then
          local held = redis.call('XPENDING', stream, group, '-', '+', count - #out, name)
          local ids = {}
          for _, p in ipairs(held) do ids[#ids + 1] = p[1] end
          deliver(i, stream, redis.call('XCLAIM', stream, group, me, 0, unpack(ids)))
        end
      end
    end
    if #out < count then
      local res = redis.call('XAUTOCLAIM', stream, group, me, minIdle, '0-0', 'COUNT', count - #out)
      deliver(i, stream, res[2])
    end
  end
end
return out
`;

/**
 * Takes up again the entries reserved to this consumer that it does not hold: those of a fetch
 * whose reply was lost with its connection, or whose outcome was given up. XCLAIM counts the new
 * delivery and restarts the idle time. Entries deleted meanwhile are dropped from the reservations.
 * KEYS: stream. ARGV: group, consumer, count, then the ids this consumer holds (left alone).
 * Returns { {id, fields, deliveryCount}… }.
 */
export const RECOVER = `
local group, me, count = ARGV[1], ARGV[2], tonumber(ARGV[3])
local held = {}
for j = 4, #ARGV do held[ARGV[j]] = true end
local pending = redis.pcall('XPENDING', KEYS[1], group, '-', '+', count + #ARGV - 3, me)
if type(pending) ~= 'table' or pending.err then return {} end
local ids = {}
for _, p in ipairs(pending) do
  if not held[p[1]] and #ids < count then ids[#ids + 1] = p[1] end
end
local out = {}
if #ids == 0 then return out end
for _, entry in ipairs(redis.call('XCLAIM', KEYS[1], group, me, 0, unpack(ids))) do
  if entry and entry ~= false and entry[2] then
    local p = redis.call('XPENDING', KEYS[1], group, entry[1], entry[1], 1)
    out[#out + 1] = { entry[1], entry[2], p[1] and p[1][4] or 1 }
  elseif entry and entry ~= false then
    redis.call('XACK', KEYS[1], group, entry[1])
  end
end
return out
`;

/**
 * Gives reserved entries back at once: re-added at the tail with their delivery count so far
 * (a consumer group cannot un-deliver an entry), the old entry acked and deleted. Entries another
 * consumer has taken over meanwhile are left to it.
 * KEYS: stream. ARGV: group, consumer, then pairs of (id, deliveriesSoFar).
 */
export const RELEASE = `
for j = 3, #ARGV, 2 do
  local id, before = ARGV[j], ARGV[j + 1]
  local owner = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)[1]
  local entry = redis.call('XRANGE', KEYS[1], id, id)[1]
  if owner and owner[2] == ARGV[2] and entry then
    local raw
    for k = 1, #entry[2], 2 do if entry[2][k] == 'm' then raw = entry[2][k + 1] end end
    redis.call('XACK', KEYS[1], ARGV[1], id)
    redis.call('XDEL', KEYS[1], id)
    redis.call('XADD', KEYS[1], '*', 'm', raw or '', 'd', before)
  end
end
return 0
`;

/** Resets the idle time of entries this consumer still owns (not those another took over). KEYS: stream. ARGV: group, consumer, ids… */
export const EXTEND = `
local owned = {}
for j = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[j], ARGV[j], 1)[1]
  if p and p[2] == ARGV[2] then owned[#owned + 1] = ARGV[j] end
end
if #owned > 0 then redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(owned), 'JUSTID') end
return #owned
`;

/** Waiting (undelivered + delayed) counts. KEYS: n streams then n delayed sets. ARGV: group. */
export const LENGTHS = `
local n = #KEYS / 2
local out = {}
for i = 1, n do
  local pending = redis.pcall('XPENDING', KEYS[i], ARGV[1])
  local held = (type(pending) == 'table' and not pending.err) and pending[1] or 0
  out[i] = redis.call('XLEN', KEYS[i]) - held + redis.call('ZCARD', KEYS[n + i])
end
return out
`;

/** Deletes undelivered entries and delayed messages. KEYS: stream, delayed. ARGV: group. Returns how many. */
export const PURGE = `
local n = redis.call('ZCARD', KEYS[2])
redis.call('DEL', KEYS[2])
local groups = redis.pcall('XINFO', 'GROUPS', KEYS[1])
local last = '0-0'
if type(groups) == 'table' and not groups.err then
  for _, g in ipairs(groups) do
    for k = 1, #g, 2 do
      if g[k] == 'name' and g[k + 1] == ARGV[1] then
        for m = 1, #g, 2 do if g[m] == 'last-delivered-id' then last = g[m + 1] end end
      end
    end
  end
end
while true do
  local entries = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1000)
  if #entries == 0 then break end
  local ids = {}
  for _, e in ipairs(entries) do ids[#ids + 1] = e[1] end
  redis.call('XDEL', KEYS[1], unpack(ids))
  n = n + #ids
  last = ids[#ids]
end
return n
`;

/**
 * Stores results and pushes each to its waiters, then acks deliveries (after the results: a failed
 * SET stops the script before any ack). Every key is declared, so a cluster routes it.
 * KEYS: n result keys (each also the result's own channel), then one stream per ack.
 * ARGV: group, n, n triples of (value, ttlMs, reply channel or ''), then the id to ack in each stream.
 */
export const STORE_RESULTS = `
local group, n = ARGV[1], tonumber(ARGV[2])
for i = 1, n do
  local j = 3 * i
  redis.call('SET', KEYS[i], ARGV[j], 'PX', ARGV[j + 1])
  if ARGV[j + 2] ~= '' then redis.call('PUBLISH', ARGV[j + 2], ARGV[j]) end
  redis.call('PUBLISH', KEYS[i], ARGV[j])
end
for i = n + 1, #KEYS do
  local id = ARGV[2 * n + 2 + i]
  redis.call('XACK', KEYS[i], group, id)
  redis.call('XDEL', KEYS[i], id)
end
return 0
`;

/**
 * Whether a message with this task id waits (stream or delayed set) or is reserved: a scan, for
 * commands such as `tasklane revoke`. KEYS: streams and delayed sets. ARGV: the id's JSON field.
 */
export const HOLDS = `
local needle = ARGV[1]
for _, key in ipairs(KEYS) do
  if redis.call('TYPE', key).ok == 'zset' then
    for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      if string.find(member, needle, 1, true) then return 1 end
    end
  else
    local from = '-'
    while true do
      local entries = redis.call('XRANGE', key, from, '+', 'COUNT', 1000)
      if #entries == 0 then break end
      for _, e in ipairs(entries) do
        for k = 1, #e[2], 2 do
          if e[2][k] == 'm' and string.find(e[2][k + 1], needle, 1, true) then return 1 end
        end
      end
      from = '(' .. entries[#entries][1]
    end
  end
end
return 0
`;

/**
 * A schedule's last tick, advanced by compare-and-set, and the tick's task added to its stream in
 * the same step. The value is "<tick> <token>": the token is the caller's, so a call sent again
 * after a lost reply recognises its own earlier success (and adds nothing twice).
 * KEYS: the schedule's key[, the queue's stream]. ARGV: expected tick ("" for none yet), new tick, token[, message].
 */
export const ADVANCE_TICK = `
local current = redis.call('GET', KEYS[1])
local mine = ARGV[2] .. ' ' .. ARGV[3]
if current == mine then return 1 end
local tick = current and string.match(current, '^(%S+)') or ''
if tick ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], mine)
if KEYS[2] then redis.call('XADD', KEYS[2], '*', 'm', ARGV[4]) end
return 1
`;
