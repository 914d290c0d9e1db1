-- Doppelscope rule R3: Process image tampering (Sysmon 25)
-- Rule set version 4; technique T1055.013; severity medium; exported as sparksql over raw field names.
-- Description: Sysmon 25 ProcessTampering. 'Image is locked for access' (reported for Ghosting and
--     Doppelgänging) is high; 'Image is replaced' (hollowing, Herpaderping) is medium. Joined to the process's
--     Sysmon 1 to show parent and command line.
-- Blind spot: Sysmon before version 13 has no event 25; SwiftOnSecurity ships it commented out.
-- Blind spot: sysmon-modular excludes event 25 for images containing 'unknown process'.
-- False positives: Browsers, Git, VS Code and self-updating software replace their images (Program Files paths
--     are skipped for 'Image is replaced').
-- False positives: WMIADAP.exe (System32\wbem) reports 'Image is locked for access' after reboots; started by
--     svchost.exe it is left out, with another or an unknown parent it alerts at low severity.
-- In the workbench only: A known-benign image whose parent is not the expected one is alerted at low severity.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, Image, ParentImage, ParentProcessGuid, ProcessGuid, Type, UtcTime
WITH process_creations AS (
  SELECT host_key, guid, image, parent_image, parent_guid FROM (
    SELECT lower(CAST(`Computer` AS STRING)) AS host_key, coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') AS guid,
      lower(CAST(`Image` AS STRING)) AS image, lower(CAST(`ParentImage` AS STRING)) AS parent_image, coalesce(lower(regexp_replace(CAST(`ParentProcessGuid` AS STRING), '[{}]', '')), '') AS parent_guid,
      row_number() OVER (PARTITION BY lower(CAST(`Computer` AS STRING)), coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') ORDER BY unix_millis(CAST(`UtcTime` AS TIMESTAMP))) AS n
    FROM sysmon_events
    WHERE CAST(`EventID` AS INT) = 1 AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
  ) WHERE n = 1
),
tampering_all AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`Image` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 25
    AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
    AND coalesce((coalesce((lower(CAST(`Type` AS STRING)) = 'image is locked for access'), false) OR NOT coalesce((lower(CAST(`Type` AS STRING)) = 'image is replaced'), false) OR NOT coalesce((contains(lower(CAST(`Image` AS STRING)), '\\program files (x86)\\') OR contains(lower(CAST(`Image` AS STRING)), '\\program files\\') OR contains(lower(CAST(`Image` AS STRING)), '\\wmiadap.exe') OR contains(lower(CAST(`Image` AS STRING)), '\\opera\\') OR contains(lower(CAST(`Image` AS STRING)), '\\windowsapps\\microsoftedge.exe')), false)), false)
),
tampering AS (
  SELECT e.host_key, e.host, e.subject_image, e.ts, e.subject_guid, e.target_guid, e.parent_guid,
    e.is_helper,
    coalesce(c.parent_guid, '') AS creator_parent_guid, e.row_id
  FROM tampering_all e
  LEFT JOIN process_creations c ON c.host_key = e.host_key AND c.guid = e.subject_guid
  WHERE NOT coalesce((CASE WHEN coalesce(e.subject_image, '') = '' OR contains(e.subject_image, 'unknown process') THEN c.image ELSE e.subject_image END RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\wbem\\\\wmiadap\\.exe$' AND c.parent_image RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\svchost\\.exe$'), false)
),
events AS (
  SELECT * FROM tampering
)
SELECT 'R3' AS rule, first(host) AS host, creator_parent_guid AS source_guid, subject_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM events
GROUP BY host_key, creator_parent_guid, subject_guid
