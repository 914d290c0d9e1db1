-- Doppelscope rule R4: Process created from a section (NtCreateProcessEx family)
-- Rule set version 4; technique T1055.013; severity high; exported as sparksql over raw field names.
-- Description: Sysmon 10 with PROCESS_ALL_ACCESS whose TargetImage is a bare name without a folder: the target
--     was created from a section whose file is gone, changed or transacted, as in Doppelgänging, Herpaderping
--     and Ghosting. Escalated when the creator wrote the image file shortly before (Sysmon 11). One alert per
--     created process: the creator is the source, and the handles csrss.exe and conhost.exe receive for every
--     new process are evidence in it.
-- Blind spot: Needs Sysmon 10 for the creator's handle; configurations that log Sysmon 10 only for lsass.exe
--     miss it.
-- False positives: Minimal processes (System, Registry, MemCompression, vmmem) have no path and are skipped.
-- False positives: csrss.exe and conhost.exe receive PROCESS_ALL_ACCESS handles to every new (console) process;
--     their alerts are low and point to the creator's alert.
-- In the workbench only: Severity: raised when the handle's CallTrace has no KERNELBASE frame, critical when the
--     creator wrote the image file within fileWindowMs before (Herpaderping, from Sysmon 11), low when only a
--     helper holds a handle.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, GrantedAccess, SourceImage, SourceProcessGUID, TargetImage, TargetProcessGUID, UtcTime
WITH handle AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`SourceImage` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(`TargetProcessGUID` AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    coalesce((lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\csrss\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\conhost\\.exe$'), false) AS is_helper,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 10
    AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
    AND coalesce((CAST(`TargetImage` AS STRING) IS NOT NULL AND CAST(`TargetImage` AS STRING) <> ''), false)
    AND NOT coalesce((contains(lower(CAST(`TargetImage` AS STRING)), '\\') OR contains(lower(CAST(`TargetImage` AS STRING)), '/')), false)
    AND NOT coalesce((lower(CAST(`TargetImage` AS STRING)) = 'system' OR lower(CAST(`TargetImage` AS STRING)) = 'registry' OR lower(CAST(`TargetImage` AS STRING)) = 'memcompression' OR lower(CAST(`TargetImage` AS STRING)) = 'memory compression' OR lower(CAST(`TargetImage` AS STRING)) = 'secure system' OR lower(CAST(`TargetImage` AS STRING)) = 'vmmem' OR lower(CAST(`TargetImage` AS STRING)) = 'vmmemwsl' OR lower(CAST(`TargetImage` AS STRING)) = 'unknown process' OR lower(CAST(`TargetImage` AS STRING)) = '<unknown process>' OR lower(CAST(`TargetImage` AS STRING)) = '&lt;unknown process&gt;'), false)
    AND NOT coalesce((contains(lower(CAST(`TargetImage` AS STRING)), 'unknown process')), false)
    AND NOT coalesce((startswith(lower(CAST(`TargetImage` AS STRING)), 'vmmem')), false)
    AND NOT coalesce((coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') <> '' AND coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') = coalesce(lower(regexp_replace(CAST(`TargetProcessGUID` AS STRING), '[{}]', '')), '')), false)
    AND coalesce(((CAST(CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) AS BIGINT) & 2097151) = 2097151), false)
),
events AS (
  SELECT * FROM handle
)
SELECT 'R4' AS rule, first(host) AS host,
  min_by(subject_guid, CAST(is_helper AS BIGINT) * 100000000000000 + ts) AS source_guid, target_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM events
GROUP BY host_key, target_guid
