-- files.previews held URLs naming the version's address (/api/designs/o/s/versions/v/previews/p?size=512&format=png);
-- it now holds keys of the derivatives that answer them (preview-png/512, preview-webp/512, mesh-glb), and replies
-- build the URLs. Values that are not URLs (already keys) are kept.
UPDATE "files" SET "previews" = (
  SELECT jsonb_object_agg(e.k, CASE
    WHEN e.v NOT LIKE '/api/%' THEN e.v
    WHEN e.k = 'glb' THEN 'mesh-glb'
    ELSE 'preview-' || e.k || '/' || coalesce(substring(e.v from '[?&]size=([0-9]+)'), '512')
  END)
  FROM jsonb_each_text("files"."previews") AS e(k, v)
)
WHERE "previews" IS NOT NULL AND jsonb_typeof("previews") = 'object' AND "previews" <> '{}'::jsonb;
