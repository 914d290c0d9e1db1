-- Doppelscope rule R5: Process started from an image without a path
-- Rule set version 4; technique T1055.013; severity high; exported as sparksql over raw field names.
-- Description: Sysmon 1 or Security 4688 whose image has no folder: the file behind the process did not exist or
--     could not be named when it started (Ghosting, Doppelgänging).
-- Blind spot: Needs process creation events (Sysmon 1 or Security 4688 with command-line auditing).
-- False positives: Minimal processes are skipped.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, Image, NewProcessName, ParentProcessGuid, ProcessGuid, UtcTime
WITH securityProcess AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`NewProcessName` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 4688
    AND lower(CAST(`Channel` AS STRING)) = 'security'
    AND coalesce((CAST(`NewProcessName` AS STRING) IS NOT NULL AND CAST(`NewProcessName` AS STRING) <> ''), false)
    AND NOT coalesce((contains(lower(CAST(`NewProcessName` AS STRING)), '\\') OR contains(lower(CAST(`NewProcessName` AS STRING)), '/')), false)
    AND NOT coalesce((lower(CAST(`NewProcessName` AS STRING)) = 'system' OR lower(CAST(`NewProcessName` AS STRING)) = 'registry' OR lower(CAST(`NewProcessName` AS STRING)) = 'memcompression' OR lower(CAST(`NewProcessName` AS STRING)) = 'memory compression' OR lower(CAST(`NewProcessName` AS STRING)) = 'secure system' OR lower(CAST(`NewProcessName` AS STRING)) = 'vmmem' OR lower(CAST(`NewProcessName` AS STRING)) = 'vmmemwsl'), false)
    AND NOT coalesce((startswith(lower(CAST(`NewProcessName` AS STRING)), 'vmmem')), false)
),
sysmonProcess AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`Image` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(`ParentProcessGuid` AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 1
    AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
    AND coalesce((CAST(`Image` AS STRING) IS NOT NULL AND CAST(`Image` AS STRING) <> ''), false)
    AND NOT coalesce((contains(lower(CAST(`Image` AS STRING)), '\\') OR contains(lower(CAST(`Image` AS STRING)), '/')), false)
    AND NOT coalesce((lower(CAST(`Image` AS STRING)) = 'system' OR lower(CAST(`Image` AS STRING)) = 'registry' OR lower(CAST(`Image` AS STRING)) = 'memcompression' OR lower(CAST(`Image` AS STRING)) = 'memory compression' OR lower(CAST(`Image` AS STRING)) = 'secure system' OR lower(CAST(`Image` AS STRING)) = 'vmmem' OR lower(CAST(`Image` AS STRING)) = 'vmmemwsl'), false)
    AND NOT coalesce((startswith(lower(CAST(`Image` AS STRING)), 'vmmem')), false)
),
events AS (
  SELECT * FROM securityProcess
  UNION ALL
  SELECT * FROM sysmonProcess
)
SELECT 'R5' AS rule, first(host) AS host, parent_guid AS source_guid, subject_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM events
GROUP BY host_key, parent_guid, subject_guid
