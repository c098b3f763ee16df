-- The planner prices a full-text match (tsvector @@ tsquery) and a trigram word-similarity test (%>) like an
-- integer comparison, so on a few thousand designs it reads every row — and every row's document — instead of
-- asking the GIN indexes. What the functions really cost makes it use them (searches 3–4× faster at 10,000
-- designs). Where the database user does not own them (a managed server) they stay as they are: search still
-- works, only slower.
DO $$
BEGIN
  ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
  ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'search: operator costs left unchanged (%)', SQLERRM;
END $$;
