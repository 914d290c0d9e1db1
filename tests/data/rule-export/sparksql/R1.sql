-- Doppelscope rule R1: Injection handle followed by a remote thread into the same process
-- Rule set version 4; technique T1055; severity high; exported as sparksql over raw field names.
-- Description: Sysmon 10 granting CREATE_THREAD | VM_OPERATION | VM_WRITE (0x2a) followed by a Sysmon 8 from the
--     same source process GUID into the same target process GUID on the same host, 0 to 30 s later. Replaces the
--     draft's analytic.
-- Blind spot: Sysmon 10 not collected (SwiftOnSecurity logs none): use R2.
-- Blind spot: Initial threads of processes created with NtCreateProcessEx (Doppelgänging, Herpaderping,
--     Ghosting) produce no Sysmon 8: use R3 to R6.
-- Blind spot: Thread hijacking, APC injection and hollowing start no remote thread.
-- False positives: Debuggers and some security products that inject into processes they monitor.
-- False positives: Spawn-and-inject by legitimate launchers is rare but possible.
-- In the workbench only: Severity is raised to critical for a burst (burstThreads), a script host or LOLBin
--     source (scriptHosts), a long-lived target (longLivedTargets), a thread outside any module or UNKNOWN
--     CallTrace frames; the alerts are the same.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, GrantedAccess, SourceImage, SourceProcessGUID, SourceProcessGuid, StartFunction, TargetProcessGUID, TargetProcessGuid, UtcTime
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
    AND coalesce((CAST(CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) AS BIGINT) & 42) = 42, false)
    AND coalesce((CAST(`SourceProcessGUID` AS STRING) IS NOT NULL AND CAST(`SourceProcessGUID` AS STRING) <> ''), false)
    AND coalesce((CAST(`TargetProcessGUID` AS STRING) IS NOT NULL AND CAST(`TargetProcessGUID` AS STRING) <> ''), false)
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
    AND coalesce((CAST(`SourceProcessGuid` AS STRING) IS NOT NULL AND CAST(`SourceProcessGuid` AS STRING) <> ''), false)
    AND coalesce((CAST(`TargetProcessGuid` AS STRING) IS NOT NULL AND CAST(`TargetProcessGuid` AS STRING) <> ''), false)
    AND NOT coalesce(endswith(lower(CAST(`SourceImage` AS STRING)), '\\windows\\system32\\csrss.exe') AND lower(CAST(`StartFunction` AS STRING)) = 'ctrlroutine', false) -- allow-list csrss-ctrlroutine
)
SELECT 'R1' AS rule, first(b.host) AS host, b.subject_guid AS source_guid, b.target_guid AS target_guid,
  date_format(timestamp_millis(least(min(a.ts), min(b.ts))), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(greatest(max(a.ts), max(b.ts))), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc,
  count(DISTINCT b.row_id) AS count
FROM handle a JOIN thread b ON a.host_key = b.host_key AND a.subject_guid = b.subject_guid AND a.target_guid = b.target_guid
  AND a.ts <= b.ts AND b.ts - a.ts <= 30000
GROUP BY b.host_key, b.subject_guid, b.target_guid
