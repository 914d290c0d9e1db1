-- Doppelscope rule R2: Remote thread starting outside any loaded module
-- Rule set version 4; technique T1055; severity high; exported as sparksql over raw field names.
-- Description: Sysmon 8 between two different processes whose start address is in no module of the target
--     (StartModule empty), or whose target is '<unknown process>'. Sub-rules: a thread starting at kernel32
--     LoadLibraryA/W is classic DLL injection; a thread starting in a module loaded from outside the system and
--     program folders runs code a previous injection brought in. A thread whose start address lies in kernel
--     space (startAddressClasses) runs no code a user-mode process brought in and is left out, whatever the
--     source.
-- Blind spot: SwiftOnSecurity drops every Sysmon 8 whose StartModule is kernel32.dll, which hides LoadLibrary
--     DLL injection.
-- Blind spot: sysmon-modular keeps Sysmon 8 only for SourceImage starting with C:\ or \\.
-- Blind spot: A payload mapped as an image section (Doppelgänging, module stomping) has a StartModule.
-- Blind spot: On 32-bit Windows booted with /3GB, user code may start between 0x80000000 and 0xBFFFFFFF; those
--     threads alert at low severity only.
-- False positives: Threads that win32k starts in csrss.exe (and other session processes) for any GUI process
--     (dwm.exe, VBoxTray.exe, ...) start at kernel addresses; the kernel start-address class leaves them out
--     whatever the source.
-- False positives: Some security products and debuggers.
-- In the workbench only: A start address in a lower-severity address class (startAddressClasses) lowers the
--     alert's severity; a module outside the trusted folders raises at medium.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, SourceImage, SourceProcessGuid, StartAddress, StartFunction, StartModule, TargetImage, TargetProcessGuid, UtcTime
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
    AND coalesce((NOT coalesce((CAST(`StartModule` AS STRING) IS NOT NULL AND CAST(`StartModule` AS STRING) <> ''), false) OR coalesce((contains(lower(CAST(`TargetImage` AS STRING)), 'unknown process')), false) OR coalesce((lower(CAST(`StartFunction` AS STRING)) = 'loadlibrarya' OR lower(CAST(`StartFunction` AS STRING)) = 'loadlibraryw' OR lower(CAST(`StartFunction` AS STRING)) = 'loadlibraryexa' OR lower(CAST(`StartFunction` AS STRING)) = 'loadlibraryexw'), false) OR NOT coalesce((startswith(lower(CAST(`StartModule` AS STRING)), 'c:\\windows\\') OR startswith(lower(CAST(`StartModule` AS STRING)), 'c:\\program files\\') OR startswith(lower(CAST(`StartModule` AS STRING)), 'c:\\program files (x86)\\') OR startswith(lower(CAST(`StartModule` AS STRING)), '\\systemroot\\')), false)), false)
    AND NOT coalesce(endswith(lower(CAST(`SourceImage` AS STRING)), '\\windows\\system32\\csrss.exe') AND lower(CAST(`StartFunction` AS STRING)) = 'ctrlroutine', false) -- allow-list csrss-ctrlroutine
    AND NOT coalesce(lower(CAST(`StartFunction` AS STRING)) = 'etwpnotificationthread', false) -- allow-list etw-notification
    AND NOT coalesce((length(regexp_replace(trim(CAST(`StartAddress` AS STRING)), '^0[xX]', '')) = 16 OR CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) > 4294967295) AND CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) BETWEEN 18446603336221196288 AND 18446744073709551615, false) -- start address class kernel-x64
    AND NOT coalesce((length(regexp_replace(trim(CAST(`StartAddress` AS STRING)), '^0[xX]', '')) = 8 AND CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) <= 4294967295) AND CAST(conv(regexp_replace(lower(trim(CAST(`StartAddress` AS STRING))), '^0x', ''), 16, 10) AS DECIMAL(20, 0)) BETWEEN 3221225472 AND 4294967295, false) -- start address class kernel-x86
),
events AS (
  SELECT * FROM thread
)
SELECT 'R2' AS rule, first(host) AS host, subject_guid AS source_guid, target_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM events
GROUP BY host_key, subject_guid, target_guid
