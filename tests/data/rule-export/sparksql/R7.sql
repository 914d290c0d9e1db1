-- Doppelscope rule R7: Injection burst: many remote threads into one process
-- Rule set version 4; technique T1055; severity high; exported as sparksql over raw field names.
-- Description: At least 5 Sysmon 8 from the same source process into the same target process within 10 s
--     (reflective loaders such as Invoke-PSInject create dozens).
-- Blind spot: Single-thread injections: use R1 and R2.
-- False positives: Debuggers attaching repeatedly.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, SourceImage, SourceProcessGuid, StartAddress, StartFunction, TargetProcessGuid, UtcTime
WITH thread AS (
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
    AND NOT coalesce((coalesce(lower(regexp_replace(CAST(`SourceProcessGuid` AS STRING), '[{}]', '')), '') <> '' AND coalesce(lower(regexp_replace(CAST(`SourceProcessGuid` AS STRING), '[{}]', '')), '') = coalesce(lower(regexp_replace(CAST(`TargetProcessGuid` AS STRING), '[{}]', '')), '')), false)
    AND NOT coalesce(endswith(lower(CAST(`SourceImage` AS STRING)), '\\windows\\system32\\csrss.exe') AND lower(CAST(`StartFunction` AS STRING)) = 'ctrlroutine', false) -- allow-list csrss-ctrlroutine
    AND NOT coalesce(lower(CAST(`StartFunction` AS STRING)) = 'etwpnotificationthread', false) -- allow-list etw-notification
    AND NOT coalesce((length(regexp_replace(trim(CAST(`StartAddress` AS STRING)), '^0[xX]', '')) = 16 OR CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) > 4294967295) AND CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) BETWEEN 18446603336221196288 AND 18446744073709551615, false) -- start address class kernel-x64
    AND NOT coalesce((length(regexp_replace(trim(CAST(`StartAddress` AS STRING)), '^0[xX]', '')) = 8 AND CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) <= 4294967295) AND CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) BETWEEN 3221225472 AND 4294967295, false) -- start address class kernel-x86
),
windowed AS (
  SELECT *, count(*) OVER (PARTITION BY host_key, subject_guid, target_guid ORDER BY ts RANGE BETWEEN CURRENT ROW AND 10000 FOLLOWING) AS in_window
  FROM thread
)
SELECT 'R7' AS rule, first(host) AS host, subject_guid AS source_guid, target_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM windowed
GROUP BY host_key, subject_guid, target_guid
HAVING max(in_window) >= 5
