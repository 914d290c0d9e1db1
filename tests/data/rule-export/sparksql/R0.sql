-- Doppelscope rule R0: Draft analytic: 0x1440 handle joined to remote thread on source GUID
-- Rule set version 4; technique T1055.013; severity medium; exported as sparksql over raw field names.
-- Description: The draft strategy's analytic, kept unchanged for comparison: Sysmon 10 with (GrantedAccess &
--     0x1440) = 0x1440, joined to every Sysmon 8 of the same source process GUID. No host, target or time
--     constraint, so it is a Cartesian product per source process; 0x1440 is DUP_HANDLE | QUERY_INFORMATION |
--     QUERY_LIMITED_INFORMATION and misses 0x143a (the six rights the draft lists) and 0x10143a (mavinject).
-- Blind spot: Any injection handle without PROCESS_DUP_HANDLE (0x143a, 0x10143a, 0x147a).
-- Blind spot: Remote threads without a Sysmon 10 from the same source (Sysmon 10 filtered by the configuration).
-- False positives: Every remote thread of a source process that ever held a DUP_HANDLE handle to anything, at
--     any time, on any target.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, GrantedAccess, SourceImage, SourceProcessGUID, SourceProcessGuid, TargetProcessGUID, TargetProcessGuid, UtcTime
WITH handle AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`SourceImage` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(`TargetProcessGUID` AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 10
    AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
    AND coalesce((CAST(CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) AS BIGINT) & 5184) = 5184, false)
    AND coalesce((CAST(`SourceProcessGUID` AS STRING) IS NOT NULL AND CAST(`SourceProcessGUID` AS STRING) <> ''), false)
),
thread AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`SourceImage` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(`SourceProcessGuid` AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(`TargetProcessGuid` AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 8
    AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
)
SELECT 'R0' AS rule, first(b.host) AS host, b.subject_guid AS source_guid, b.target_guid AS target_guid,
  date_format(timestamp_millis(least(min(a.ts), min(b.ts))), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(greatest(max(a.ts), max(b.ts))), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc,
  count(*) AS count
FROM handle a JOIN thread b ON a.subject_guid = b.subject_guid
GROUP BY b.host_key, b.subject_guid, b.target_guid
