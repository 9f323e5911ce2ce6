-- Invalidation of the agent resolution cache (lib/resolution/): every write that can change what a
-- token resolves to announces it on channel byok_resolution, delivered at commit (nothing on
-- rollback). Payloads: 't:<token hash>' (that token), 'c:<credential id>' (answers holding that
-- credential), 'u:<user id>' (that user's personal tokens), '*' (everything). Triggers rather than
-- calls at each write site: a write added later cannot forget to announce itself.
CREATE FUNCTION byok_announce(payload text) RETURNS void LANGUAGE sql AS $$ SELECT pg_notify('byok_resolution', payload) $$;
--> statement-breakpoint
CREATE FUNCTION byok_announce_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM byok_announce('*');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION byok_announce_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM byok_announce('t:' || OLD.token_hash); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM byok_announce('t:' || NEW.token_hash); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A credential's own columns concern only the answers that hold it; what decides whether it is
-- chosen or visible at all (owner, provider, sharing, order) concerns everybody.
CREATE FUNCTION byok_announce_credential() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
    AND OLD.owner_user_id IS NOT DISTINCT FROM NEW.owner_user_id
    AND OLD.owner_org_id IS NOT DISTINCT FROM NEW.owner_org_id
    AND OLD.provider = NEW.provider AND OLD.share_mode = NEW.share_mode AND OLD.created_at = NEW.created_at THEN
    PERFORM byok_announce('c:' || NEW.id);
  ELSE
    PERFORM byok_announce('*');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Rows that concern one user's personal tokens only (their default, memberships, shares, name).
CREATE FUNCTION byok_announce_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  column_name text := TG_ARGV[0];
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM byok_announce('u:' || (to_jsonb(OLD) ->> column_name)); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM byok_announce('u:' || (to_jsonb(NEW) ->> column_name)); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A profile of a user concerns that user's tokens; an organization's, everybody's.
CREATE FUNCTION byok_announce_profile() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM byok_announce(CASE WHEN OLD.owner_user_id IS NULL THEN '*' ELSE 'u:' || OLD.owner_user_id END);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM byok_announce(CASE WHEN NEW.owner_user_id IS NULL THEN '*' ELSE 'u:' || NEW.owner_user_id END);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An entry concerns its profile's owner. When the profile is gone (deleted with it), the profile's
-- own trigger has announced it.
CREATE FUNCTION byok_announce_profile_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owner_found boolean;
  owner_user uuid;
BEGIN
  SELECT true, p.owner_user_id INTO owner_found, owner_user FROM model_profiles p
    WHERE p.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.profile_id ELSE NEW.profile_id END;
  IF owner_found THEN
    PERFORM byok_announce(CASE WHEN owner_user IS NULL THEN '*' ELSE 'u:' || owner_user END);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.profile_id <> NEW.profile_id THEN PERFORM byok_announce('*'); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER agent_tokens_announce AFTER INSERT OR DELETE OR UPDATE OF owner_user_id, owner_org_id, scope_org_id, token_hash, expires_at, revoked_at
  ON agent_tokens FOR EACH ROW EXECUTE FUNCTION byok_announce_token();
--> statement-breakpoint
CREATE TRIGGER provider_credentials_announce AFTER INSERT OR UPDATE OR DELETE
  ON provider_credentials FOR EACH ROW EXECUTE FUNCTION byok_announce_credential();
--> statement-breakpoint
CREATE TRIGGER user_defaults_announce AFTER INSERT OR UPDATE OR DELETE
  ON user_defaults FOR EACH ROW EXECUTE FUNCTION byok_announce_user('user_id');
--> statement-breakpoint
CREATE TRIGGER memberships_announce AFTER INSERT OR UPDATE OR DELETE
  ON memberships FOR EACH ROW EXECUTE FUNCTION byok_announce_user('user_id');
--> statement-breakpoint
CREATE TRIGGER credential_shares_announce AFTER INSERT OR UPDATE OR DELETE
  ON credential_shares FOR EACH ROW EXECUTE FUNCTION byok_announce_user('user_id');
--> statement-breakpoint
CREATE TRIGGER users_announce AFTER UPDATE OF name
  ON users FOR EACH ROW EXECUTE FUNCTION byok_announce_user('id');
--> statement-breakpoint
CREATE TRIGGER users_delete_announce AFTER DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER org_defaults_announce AFTER INSERT OR UPDATE OR DELETE ON org_defaults FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER organizations_announce AFTER DELETE OR UPDATE OF name, slug ON organizations FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER model_profiles_announce AFTER INSERT OR UPDATE OR DELETE
  ON model_profiles FOR EACH ROW EXECUTE FUNCTION byok_announce_profile();
--> statement-breakpoint
CREATE TRIGGER model_profile_entries_announce AFTER INSERT OR UPDATE OR DELETE
  ON model_profile_entries FOR EACH ROW EXECUTE FUNCTION byok_announce_profile_entry();
--> statement-breakpoint
CREATE TRIGGER agent_tokens_truncate_announce AFTER TRUNCATE ON agent_tokens FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER provider_credentials_truncate_announce AFTER TRUNCATE ON provider_credentials FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER user_defaults_truncate_announce AFTER TRUNCATE ON user_defaults FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER memberships_truncate_announce AFTER TRUNCATE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER credential_shares_truncate_announce AFTER TRUNCATE ON credential_shares FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER users_truncate_announce AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER org_defaults_truncate_announce AFTER TRUNCATE ON org_defaults FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER organizations_truncate_announce AFTER TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER model_profiles_truncate_announce AFTER TRUNCATE ON model_profiles FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
--> statement-breakpoint
CREATE TRIGGER model_profile_entries_truncate_announce AFTER TRUNCATE ON model_profile_entries FOR EACH STATEMENT EXECUTE FUNCTION byok_announce_all();
