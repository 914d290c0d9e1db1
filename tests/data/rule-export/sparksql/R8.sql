-- Doppelscope rule R8: Suspicious handle to or remote thread in lsass.exe
-- Rule set version 4; technique T1003.001; severity high; exported as sparksql over raw field names.
-- Description: Sysmon 10 into lsass.exe with a credential-theft mask, or with VM_READ from unbacked code
--     (CallTrace UNKNOWN), minus benign masks; and any Sysmon 8 remote thread into lsass.exe. Windows' own
--     processes, pinned to their folders, are left out unless they call from unbacked memory (injected). In a
--     .NET process (the runtime loaded, Sysmon 7, or its frames in the CallTrace) UNKNOWN frames are code
--     compiled at run time and count for nothing; the alert then rests on the rights and the target, and the
--     .NET Process class's own query handles (0x1410 through the runtime's frames) are left out.
-- Blind spot: Configurations that exclude lsass access noise by mask drop 0x1000/0x1400 only; direct syscalls
--     still show UNKNOWN frames.
-- Blind spot: A .NET credential dumper that reads lsass.exe with only the .NET Process class's query rights
--     (0x1410) through the runtime's frames is left out with the benign queries.
-- False positives: Security products, backup agents and Windows Error Reporting open lsass.exe (WerFault with
--     0x1fffff).
-- False positives: Monitoring tools other than those on the known-tools list (Process Explorer, debuggers) that
--     open every process with full access.
-- In the workbench only: A source whose UNKNOWN CallTrace frames come from .NET code compiled at run time is
--     recognised by its own Sysmon 7 loads of the runtime too: the export sees only the runtime's frames in the
--     CallTrace, so a managed source without them is read as unbacked.
-- In the workbench only: A Windows process (systemSources) holding a listed mask from unbacked code stays
--     alerted in the engine through handleUnbacked only when the mask includes PROCESS_VM_READ (0x10).
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: CallTrace, Channel, Computer, EventID, GrantedAccess, Image, ParentImage, ParentProcessGuid, ProcessGuid, SourceImage, SourceProcessGUID, SourceProcessGuid, StartFunction, TargetImage, TargetProcessGUID, TargetProcessGuid, UtcTime
WITH process_creations AS (
  SELECT host_key, guid, image, parent_image, parent_guid FROM (
    SELECT lower(CAST(`Computer` AS STRING)) AS host_key, coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') AS guid,
      lower(CAST(`Image` AS STRING)) AS image, lower(CAST(`ParentImage` AS STRING)) AS parent_image, coalesce(lower(regexp_replace(CAST(`ParentProcessGuid` AS STRING), '[{}]', '')), '') AS parent_guid,
      row_number() OVER (PARTITION BY lower(CAST(`Computer` AS STRING)), coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') ORDER BY unix_millis(CAST(`UtcTime` AS TIMESTAMP))) AS n
    FROM sysmon_events
    WHERE CAST(`EventID` AS INT) = 1 AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
  ) WHERE n = 1
),
handleListed_all AS (
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
    AND coalesce((endswith(lower(CAST(`TargetImage` AS STRING)), '\\lsass.exe')), false)
    AND NOT coalesce((coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') <> '' AND coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') = coalesce(lower(regexp_replace(CAST(`TargetProcessGUID` AS STRING), '[{}]', '')), '')), false)
    AND NOT coalesce((CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 4096 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5120 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1053696 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1052672 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1052673 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1048576 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1048640 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 12800 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 64), false)
    AND coalesce((CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 4112 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5136 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5176 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5178 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5144 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 2097151 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 2047999 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 2039807 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 2035711), false)
    AND NOT coalesce((lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\services\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\wininit\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\csrss\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\smss\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\winlogon\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\lsm\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\svchost\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\wbem\\\\wmiprvse\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\mrt\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\program files( \\(x86\\))?\\\\windows defender\\\\msmpeng\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\programdata\\\\microsoft\\\\windows defender\\\\platform\\\\[^\\\\]+\\\\msmpeng\\.exe$' OR lower(CAST(`SourceImage` AS STRING)) RLIKE '^([a-z]:)?\\\\program files( \\(x86\\))?\\\\vmware\\\\vmware tools\\\\vmtoolsd\\.exe$'), false)
    AND coalesce((NOT coalesce((CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5136 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5120 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 4096), false) OR NOT coalesce((contains(lower(CAST(`CallTrace` AS STRING)), '\\assembly\\nativeimages_') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\clr.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\coreclr.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\clrjit.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\system.private.corelib.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\mscorlib.ni.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\system.ni.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\system.diagnostics.process.dll')), false)), false)
),
handleListed AS (
  SELECT e.host_key, e.host, e.subject_image, e.ts, e.subject_guid, e.target_guid, e.parent_guid,
    e.is_helper,
    e.creator_parent_guid AS creator_parent_guid, e.row_id
  FROM handleListed_all e
  LEFT JOIN process_creations c ON c.host_key = e.host_key AND c.guid = e.subject_guid
  WHERE NOT coalesce((CASE WHEN coalesce(e.subject_image, '') = '' OR contains(e.subject_image, 'unknown process') THEN c.image ELSE e.subject_image END RLIKE '.*\\\\appdata\\\\local\\\\temp\\\\procmon64\\.exe$' AND c.parent_image RLIKE '.*\\\\procmon\\.exe$'), false)
),
handleUnbacked AS (
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
    AND coalesce((endswith(lower(CAST(`TargetImage` AS STRING)), '\\lsass.exe')), false)
    AND NOT coalesce((coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') <> '' AND coalesce(lower(regexp_replace(CAST(`SourceProcessGUID` AS STRING), '[{}]', '')), '') = coalesce(lower(regexp_replace(CAST(`TargetProcessGUID` AS STRING), '[{}]', '')), '')), false)
    AND NOT coalesce((CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 4096 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 5120 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1053696 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1052672 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1052673 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1048576 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 1048640 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 12800 OR CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) = 64), false)
    AND coalesce((CAST(CAST(conv(regexp_replace(lower(trim(CAST(`GrantedAccess` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) AS BIGINT) & 16) = 16, false)
    AND coalesce((contains(lower(CAST(`CallTrace` AS STRING)), 'unknown(')), false)
    AND NOT coalesce((contains(lower(CAST(`CallTrace` AS STRING)), '\\assembly\\nativeimages_') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\clr.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\coreclr.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\clrjit.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\system.private.corelib.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\mscorlib.ni.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\system.ni.dll') OR contains(lower(CAST(`CallTrace` AS STRING)), '\\system.diagnostics.process.dll')), false)
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
    AND coalesce((endswith(lower(CAST(`TargetImage` AS STRING)), '\\lsass.exe')), false)
    AND NOT coalesce((coalesce(lower(regexp_replace(CAST(`SourceProcessGuid` AS STRING), '[{}]', '')), '') <> '' AND coalesce(lower(regexp_replace(CAST(`SourceProcessGuid` AS STRING), '[{}]', '')), '') = coalesce(lower(regexp_replace(CAST(`TargetProcessGuid` AS STRING), '[{}]', '')), '')), false)
    AND NOT coalesce(endswith(lower(CAST(`SourceImage` AS STRING)), '\\windows\\system32\\csrss.exe') AND lower(CAST(`StartFunction` AS STRING)) = 'ctrlroutine', false) -- allow-list csrss-ctrlroutine
),
events AS (
  SELECT * FROM handleListed
  UNION ALL
  SELECT * FROM handleUnbacked
  UNION ALL
  SELECT * FROM thread
)
SELECT 'R8' AS rule, first(host) AS host, subject_guid AS source_guid, target_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM events
GROUP BY host_key, subject_guid, target_guid
