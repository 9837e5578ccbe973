"""Parley's schema as eleven migrations left it (0001_initial to 0011_forecasts_and_aliases,
squashed into this one; a database that has them all applied takes it as applied), then the
curators' roles and the trigger that keeps a cited source's text fixed.

The roles, as groups: Curator adds and changes claims and sources; Editor also reviews and
publishes. Neither manages users, and a cited source cannot be deleted by anyone (PROTECT).

The trigger: the database itself refuses to change the text of a cited source, whatever writes it
(the admin, a history revert, a raw UPDATE): every citation's offsets point into that text.
Source.save() refuses first with a readable message; this trigger is the last line."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import positions.validators

CURATED = ["source", "actor", "issue", "talkround", "stance", "demand", "response", "citation"]
CLAIMS = ["stance", "demand", "response", "citation"]


def codenames_for_curator():
    codenames = [f"{action}_{model}" for model in CURATED for action in ("add", "change", "view")]
    codenames += [f"delete_{model}" for model in CLAIMS]
    codenames += ["delete_source"]  # refused for a cited source by the foreign keys' PROTECT
    codenames += [f"view_historical{model}" for model in CURATED]
    return codenames


def codenames_for_editor():
    return codenames_for_curator() + ["publish_stance", "publish_demand", "publish_response"]


def make_roles(apps, schema_editor):
    app_config = apps.get_app_config("positions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Curator", codenames_for_curator()), ("Editor", codenames_for_editor())):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="positions", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]).delete()


POSTGRESQL = """
CREATE OR REPLACE FUNCTION positions_cited_text_fixed() RETURNS trigger AS $$
BEGIN
  IF NEW.text IS DISTINCT FROM OLD.text
     AND EXISTS (SELECT 1 FROM positions_citation WHERE source_id = OLD.id) THEN
    RAISE EXCEPTION 'the text of source "%" is cited, so it cannot change', OLD.slug
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER positions_source_cited_text_fixed
  BEFORE UPDATE OF text ON positions_source
  FOR EACH ROW EXECUTE FUNCTION positions_cited_text_fixed();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS positions_source_cited_text_fixed ON positions_source;
DROP FUNCTION IF EXISTS positions_cited_text_fixed();
"""

SQLITE = """
CREATE TRIGGER positions_source_cited_text_fixed
  BEFORE UPDATE OF text ON positions_source
  FOR EACH ROW
  WHEN NEW.text IS NOT OLD.text
       AND EXISTS (SELECT 1 FROM positions_citation WHERE source_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'the text of a cited source cannot change');
END;
"""

SQLITE_DROP = "DROP TRIGGER IF EXISTS positions_source_cited_text_fixed;"


def create(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ("positions", "0001_initial"),
        ("positions", "0002_history_and_review"),
        ("positions", "0003_roles"),
        ("positions", "0004_dataset_version"),
        ("positions", "0005_null_rounds_first"),
        ("positions", "0006_review_workflow"),
        ("positions", "0007_evidence_in_history_diffs"),
        ("positions", "0008_withdrawal_versions_and_sync"),
        ("positions", "0009_cited_text_trigger"),
        ("positions", "0010_stances_read_against_propositions"),
        ("positions", "0011_forecasts_and_aliases"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='DatasetSync',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('load', 'load'), ('export', 'export')], max_length=6)),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('folder', models.CharField(blank=True, help_text="The fixtures' folder.", max_length=500)),
            ],
            options={
                'ordering': ['-at', '-pk'],
                'get_latest_by': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='DatasetVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Actor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('name', models.CharField(max_length=200)),
                ('kind', models.CharField(choices=[('state', 'state'), ('alliance', 'alliance'), ('organisation', 'international organisation'), ('government_body', 'government body'), ('official', 'official'), ('analyst', 'analyst / commentator')], max_length=20)),
                ('role', models.CharField(blank=True, help_text="As the sources give it, e.g. 'Foreign Minister'.", max_length=200)),
                ('aliases', models.CharField(blank=True, help_text="Other words the sources use for this actor, comma-separated (“Russian, Moscow”): a proposition naming two parties' actions is found by them.", max_length=300)),
                ('description', models.TextField(blank=True)),
                ('order', models.PositiveSmallIntegerField(default=100)),
                ('affiliation', models.ForeignKey(blank=True, help_text='The party an official or body speaks for; its statements roll up to it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='positions.actor')),
            ],
            options={
                'ordering': ['order', 'name'],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalActor',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120)),
                ('name', models.CharField(max_length=200)),
                ('kind', models.CharField(choices=[('state', 'state'), ('alliance', 'alliance'), ('organisation', 'international organisation'), ('government_body', 'government body'), ('official', 'official'), ('analyst', 'analyst / commentator')], max_length=20)),
                ('role', models.CharField(blank=True, help_text="As the sources give it, e.g. 'Foreign Minister'.", max_length=200)),
                ('aliases', models.CharField(blank=True, help_text="Other words the sources use for this actor, comma-separated (“Russian, Moscow”): a proposition naming two parties' actions is found by them.", max_length=300)),
                ('description', models.TextField(blank=True)),
                ('order', models.PositiveSmallIntegerField(default=100)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('affiliation', models.ForeignKey(blank=True, db_constraint=False, help_text='The party an official or body speaks for; its statements roll up to it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.actor')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical actor',
                'verbose_name_plural': 'historical actors',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120)),
                ('title', models.CharField(max_length=300)),
                ('author', models.CharField(blank=True, help_text='Blank when the article names no author.', max_length=200)),
                ('publisher', models.CharField(blank=True, help_text='Who published this copy; blank when unknown.', max_length=200)),
                ('original_publisher', models.CharField(blank=True, help_text='Who first published it, when the article says.', max_length=200)),
                ('published_on', models.DateField(blank=True, null=True)),
                ('date_precision', models.CharField(choices=[('day', 'exact day'), ('month', 'month only'), ('year', 'year only'), ('unknown', 'unknown')], default='unknown', max_length=10)),
                ('url', models.URLField(blank=True, max_length=500)),
                ('kind', models.CharField(choices=[('news_analysis', 'news analysis'), ('opinion', 'opinion / commentary'), ('interview', 'interview'), ('news_report', 'news report'), ('official_document', 'official document'), ('transcript', 'transcript (press conference, briefing, interview record)')], max_length=30)),
                ('metadata_note', models.TextField(blank=True, help_text='What the article does and does not say about itself.')),
                ('file_name', models.CharField(help_text='The verbatim text, in seeds/.', max_length=200)),
                ('text', models.TextField(help_text='The article, verbatim.')),
                ('sha256', models.CharField(max_length=64)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical source',
                'verbose_name_plural': 'historical sources',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTalkRound',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120)),
                ('title', models.CharField(max_length=200)),
                ('format', models.CharField(choices=[('bilateral', 'bilateral talks'), ('nato_russia_council', 'NATO-Russia Council'), ('osce', 'OSCE'), ('ministerial', 'ministerial meeting'), ('summit', 'summit'), ('written_proposal', 'written proposal')], max_length=30)),
                ('city', models.CharField(blank=True, help_text='Blank when no source says.', max_length=100)),
                ('venue', models.CharField(blank=True, max_length=200)),
                ('start_date', models.DateField(blank=True, null=True)),
                ('end_date', models.DateField(blank=True, null=True)),
                ('date_precision', models.CharField(choices=[('day', 'exact day'), ('month', 'month only'), ('year', 'year only'), ('unknown', 'unknown')], default='unknown', max_length=10)),
                ('date_note', models.CharField(blank=True, help_text='What the sources say about when it took place.', max_length=300)),
                ('outcome', models.TextField(blank=True, help_text='The outcome the sources report.')),
                ('order', models.PositiveSmallIntegerField(help_text='Position in the sequence of talks.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical talk round',
                'verbose_name_plural': 'historical talk rounds',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Issue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('order', models.PositiveSmallIntegerField(default=100)),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='positions.issue')),
            ],
            options={
                'ordering': ['order', 'title'],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalIssue',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120)),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(blank=True)),
                ('order', models.PositiveSmallIntegerField(default=100)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.issue')),
            ],
            options={
                'verbose_name': 'historical issue',
                'verbose_name_plural': 'historical issues',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Demand',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft: awaiting review'), ('returned', 'sent back to the curator'), ('reviewed', 'reviewed'), ('published', 'published'), ('withdrawn', 'withdrawn')], default='draft', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('note', models.TextField(blank=True, help_text="Curator's note: why this reading.")),
                ('review_note', models.TextField(blank=True, editable=False, help_text="The editor's reason for sending it back.")),
                ('withdrawal_reason', models.TextField(blank=True, editable=False, help_text='Why the claim was withdrawn; on a proposed change, it proposes withdrawing the original.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('evidence', models.TextField(blank=True, help_text="The claim's citations and links as text, kept so that history shows them.")),
                ('slug', models.SlugField(max_length=120)),
                ('text', models.TextField(help_text='What is demanded, in plain words.')),
                ('bindingness', models.CharField(choices=[('legally_binding', 'legally binding (treaty)'), ('politically_binding', 'politically binding'), ('unspecified', 'not specified')], default='unspecified', max_length=20)),
                ('outcome', models.CharField(choices=[('pending', 'pending: no answer reported'), ('rejected', 'rejected'), ('partly_open', 'partly open to discussion'), ('accepted', 'accepted'), ('unknown', 'unknown')], default='unknown', help_text='As the sources report it.', max_length=12)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='positions.actor')),
                ('reviewed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision_of', models.ForeignKey(blank=True, editable=False, help_text='Set on a proposed change to a published claim, which stays live until an editor approves the change.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='positions.demand')),
                ('issues', models.ManyToManyField(related_name='demands', to='positions.issue')),
            ],
            options={
                'ordering': [models.OrderBy(models.F('talk_round__order'), nulls_first=True), 'slug'],
                'permissions': [('publish_demand', 'Can review and publish demands')],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('title', models.CharField(max_length=300)),
                ('author', models.CharField(blank=True, help_text='Blank when the article names no author.', max_length=200)),
                ('publisher', models.CharField(blank=True, help_text='Who published this copy; blank when unknown.', max_length=200)),
                ('original_publisher', models.CharField(blank=True, help_text='Who first published it, when the article says.', max_length=200)),
                ('published_on', models.DateField(blank=True, null=True)),
                ('date_precision', models.CharField(choices=[('day', 'exact day'), ('month', 'month only'), ('year', 'year only'), ('unknown', 'unknown')], default='unknown', max_length=10)),
                ('url', models.URLField(blank=True, max_length=500)),
                ('kind', models.CharField(choices=[('news_analysis', 'news analysis'), ('opinion', 'opinion / commentary'), ('interview', 'interview'), ('news_report', 'news report'), ('official_document', 'official document'), ('transcript', 'transcript (press conference, briefing, interview record)')], max_length=30)),
                ('metadata_note', models.TextField(blank=True, help_text='What the article does and does not say about itself.')),
                ('file_name', models.CharField(help_text='The verbatim text, in seeds/.', max_length=200)),
                ('text', models.TextField(help_text='The article, verbatim.')),
                ('sha256', models.CharField(max_length=64)),
            ],
            options={
                'ordering': ['slug'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('date_precision', 'unknown'), ('published_on__isnull', True)), models.Q(models.Q(('date_precision', 'unknown'), _negated=True), ('published_on__isnull', False)), _connector='OR'), name='source_date_precision', violation_error_message='A date is given exactly when its precision is known.'), models.UniqueConstraint(fields=('file_name',), name='source_unique_file')],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='TalkRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('format', models.CharField(choices=[('bilateral', 'bilateral talks'), ('nato_russia_council', 'NATO-Russia Council'), ('osce', 'OSCE'), ('ministerial', 'ministerial meeting'), ('summit', 'summit'), ('written_proposal', 'written proposal')], max_length=30)),
                ('city', models.CharField(blank=True, help_text='Blank when no source says.', max_length=100)),
                ('venue', models.CharField(blank=True, max_length=200)),
                ('start_date', models.DateField(blank=True, null=True)),
                ('end_date', models.DateField(blank=True, null=True)),
                ('date_precision', models.CharField(choices=[('day', 'exact day'), ('month', 'month only'), ('year', 'year only'), ('unknown', 'unknown')], default='unknown', max_length=10)),
                ('date_note', models.CharField(blank=True, help_text='What the sources say about when it took place.', max_length=300)),
                ('outcome', models.TextField(blank=True, help_text='The outcome the sources report.')),
                ('order', models.PositiveSmallIntegerField(help_text='Position in the sequence of talks.')),
                ('participants', models.ManyToManyField(blank=True, related_name='rounds', to='positions.actor')),
            ],
            options={
                'ordering': ['order'],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='Stance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft: awaiting review'), ('returned', 'sent back to the curator'), ('reviewed', 'reviewed'), ('published', 'published'), ('withdrawn', 'withdrawn')], default='draft', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('note', models.TextField(blank=True, help_text="Curator's note: why this reading.")),
                ('review_note', models.TextField(blank=True, editable=False, help_text="The editor's reason for sending it back.")),
                ('withdrawal_reason', models.TextField(blank=True, editable=False, help_text='Why the claim was withdrawn; on a proposed change, it proposes withdrawing the original.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('evidence', models.TextField(blank=True, help_text="The claim's citations and links as text, kept so that history shows them.")),
                ('code', models.CharField(choices=[('demands', 'for: insists'), ('supports', 'for'), ('open', 'open to discuss'), ('conditional', 'for, on conditions'), ('opposes', 'against'), ('rejects', 'against: refuses'), ('undeclared', 'position withheld'), ('expects', 'forecast: expects it'), ('doubts', 'forecast: expects it not to happen')], max_length=12, verbose_name='stance')),
                ('summary', models.CharField(help_text='One line: the position in plain words.', max_length=300)),
                ('attribution', models.CharField(choices=[('on_record', 'on-record statement'), ('reported', 'reported by the source'), ('analysis', "author's analysis"), ('proposal', "author's proposal")], max_length=12)),
                ('confidence', models.CharField(choices=[('high', 'high'), ('medium', 'medium'), ('low', 'low')], default='high', max_length=6)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='positions.actor')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stances', to='positions.issue')),
                ('reviewed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision_of', models.ForeignKey(blank=True, editable=False, help_text='Set on a proposed change to a published claim, which stays live until an editor approves the change.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='positions.stance')),
                ('talk_round', models.ForeignKey(blank=True, help_text='Blank when the sources tie the claim to no particular round.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='positions.talkround', verbose_name='round')),
            ],
            options={
                'ordering': ['issue__order', 'actor__order', models.OrderBy(models.F('talk_round__order'), nulls_first=True)],
                'permissions': [('publish_stance', 'Can review and publish stances')],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='Response',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft: awaiting review'), ('returned', 'sent back to the curator'), ('reviewed', 'reviewed'), ('published', 'published'), ('withdrawn', 'withdrawn')], default='draft', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('note', models.TextField(blank=True, help_text="Curator's note: why this reading.")),
                ('review_note', models.TextField(blank=True, editable=False, help_text="The editor's reason for sending it back.")),
                ('withdrawal_reason', models.TextField(blank=True, editable=False, help_text='Why the claim was withdrawn; on a proposed change, it proposes withdrawing the original.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('evidence', models.TextField(blank=True, help_text="The claim's citations and links as text, kept so that history shows them.")),
                ('slug', models.SlugField(max_length=120)),
                ('kind', models.CharField(choices=[('offer', 'offer'), ('conditional_offer', 'conditional offer'), ('counter_demand', 'counter-demand'), ('rejection', 'rejection'), ('threat', 'threat or warning'), ('promise', 'promise')], max_length=20)),
                ('text', models.TextField(help_text='What was offered, refused or threatened, in plain words.')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='positions.actor')),
                ('answers', models.ManyToManyField(blank=True, related_name='responses', to='positions.demand')),
                ('issues', models.ManyToManyField(related_name='responses', to='positions.issue')),
                ('replies_to', models.ManyToManyField(blank=True, related_name='replies', to='positions.response')),
                ('reviewed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision_of', models.ForeignKey(blank=True, editable=False, help_text='Set on a proposed change to a published claim, which stays live until an editor approves the change.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='positions.response')),
                ('talk_round', models.ForeignKey(blank=True, help_text='Blank when the sources tie the claim to no particular round.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='positions.talkround', verbose_name='round')),
            ],
            options={
                'verbose_name': 'counterproposal / response',
                'verbose_name_plural': 'counterproposals / responses',
                'ordering': [models.OrderBy(models.F('talk_round__order'), nulls_first=True), 'slug'],
                'permissions': [('publish_response', 'Can review and publish counterproposals / responses')],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStance',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft: awaiting review'), ('returned', 'sent back to the curator'), ('reviewed', 'reviewed'), ('published', 'published'), ('withdrawn', 'withdrawn')], default='draft', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('note', models.TextField(blank=True, help_text="Curator's note: why this reading.")),
                ('review_note', models.TextField(blank=True, editable=False, help_text="The editor's reason for sending it back.")),
                ('withdrawal_reason', models.TextField(blank=True, editable=False, help_text='Why the claim was withdrawn; on a proposed change, it proposes withdrawing the original.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('evidence', models.TextField(blank=True, help_text="The claim's citations and links as text, kept so that history shows them.")),
                ('code', models.CharField(choices=[('demands', 'for: insists'), ('supports', 'for'), ('open', 'open to discuss'), ('conditional', 'for, on conditions'), ('opposes', 'against'), ('rejects', 'against: refuses'), ('undeclared', 'position withheld'), ('expects', 'forecast: expects it'), ('doubts', 'forecast: expects it not to happen')], max_length=12, verbose_name='stance')),
                ('summary', models.CharField(help_text='One line: the position in plain words.', max_length=300)),
                ('attribution', models.CharField(choices=[('on_record', 'on-record statement'), ('reported', 'reported by the source'), ('analysis', "author's analysis"), ('proposal', "author's proposal")], max_length=12)),
                ('confidence', models.CharField(choices=[('high', 'high'), ('medium', 'medium'), ('low', 'low')], default='high', max_length=6)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.actor')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('issue', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.issue')),
                ('revision_of', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='Set on a proposed change to a published claim, which stays live until an editor approves the change.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.stance')),
                ('talk_round', models.ForeignKey(blank=True, db_constraint=False, help_text='Blank when the sources tie the claim to no particular round.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.talkround', verbose_name='round')),
            ],
            options={
                'verbose_name': 'historical stance',
                'verbose_name_plural': 'historical stances',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalResponse',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft: awaiting review'), ('returned', 'sent back to the curator'), ('reviewed', 'reviewed'), ('published', 'published'), ('withdrawn', 'withdrawn')], default='draft', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('note', models.TextField(blank=True, help_text="Curator's note: why this reading.")),
                ('review_note', models.TextField(blank=True, editable=False, help_text="The editor's reason for sending it back.")),
                ('withdrawal_reason', models.TextField(blank=True, editable=False, help_text='Why the claim was withdrawn; on a proposed change, it proposes withdrawing the original.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('evidence', models.TextField(blank=True, help_text="The claim's citations and links as text, kept so that history shows them.")),
                ('slug', models.SlugField(max_length=120)),
                ('kind', models.CharField(choices=[('offer', 'offer'), ('conditional_offer', 'conditional offer'), ('counter_demand', 'counter-demand'), ('rejection', 'rejection'), ('threat', 'threat or warning'), ('promise', 'promise')], max_length=20)),
                ('text', models.TextField(help_text='What was offered, refused or threatened, in plain words.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.actor')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision_of', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='Set on a proposed change to a published claim, which stays live until an editor approves the change.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.response')),
                ('talk_round', models.ForeignKey(blank=True, db_constraint=False, help_text='Blank when the sources tie the claim to no particular round.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.talkround', verbose_name='round')),
            ],
            options={
                'verbose_name': 'historical counterproposal / response',
                'verbose_name_plural': 'historical counterproposals / responses',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDemand',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'draft: awaiting review'), ('returned', 'sent back to the curator'), ('reviewed', 'reviewed'), ('published', 'published'), ('withdrawn', 'withdrawn')], default='draft', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('note', models.TextField(blank=True, help_text="Curator's note: why this reading.")),
                ('review_note', models.TextField(blank=True, editable=False, help_text="The editor's reason for sending it back.")),
                ('withdrawal_reason', models.TextField(blank=True, editable=False, help_text='Why the claim was withdrawn; on a proposed change, it proposes withdrawing the original.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('evidence', models.TextField(blank=True, help_text="The claim's citations and links as text, kept so that history shows them.")),
                ('slug', models.SlugField(max_length=120)),
                ('text', models.TextField(help_text='What is demanded, in plain words.')),
                ('bindingness', models.CharField(choices=[('legally_binding', 'legally binding (treaty)'), ('politically_binding', 'politically binding'), ('unspecified', 'not specified')], default='unspecified', max_length=20)),
                ('outcome', models.CharField(choices=[('pending', 'pending: no answer reported'), ('rejected', 'rejected'), ('partly_open', 'partly open to discussion'), ('accepted', 'accepted'), ('unknown', 'unknown')], default='unknown', help_text='As the sources report it.', max_length=12)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.actor')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision_of', models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='Set on a proposed change to a published claim, which stays live until an editor approves the change.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.demand')),
                ('talk_round', models.ForeignKey(blank=True, db_constraint=False, help_text='Blank when the sources tie the claim to no particular round.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.talkround', verbose_name='round')),
            ],
            options={
                'verbose_name': 'historical demand',
                'verbose_name_plural': 'historical demands',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCitation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('quote', models.TextField(help_text='Verbatim, as the source prints it (white space may differ).')),
                ('prefix', models.CharField(blank=True, help_text='Text just before the quote, if it occurs twice.', max_length=200)),
                ('suffix', models.CharField(blank=True, help_text='Text just after the quote, if it occurs twice.', max_length=200)),
                ('start', models.PositiveIntegerField(editable=False)),
                ('end', models.PositiveIntegerField(editable=False)),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('demand', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.demand')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('response', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.response')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.source')),
                ('stance', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.stance')),
                ('talk_round', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.talkround')),
            ],
            options={
                'verbose_name': 'historical citation',
                'verbose_name_plural': 'historical citations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='demand',
            name='talk_round',
            field=models.ForeignKey(blank=True, help_text='Blank when the sources tie the claim to no particular round.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='positions.talkround', verbose_name='round'),
        ),
        migrations.CreateModel(
            name='Citation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quote', models.TextField(help_text='Verbatim, as the source prints it (white space may differ).')),
                ('prefix', models.CharField(blank=True, help_text='Text just before the quote, if it occurs twice.', max_length=200)),
                ('suffix', models.CharField(blank=True, help_text='Text just after the quote, if it occurs twice.', max_length=200)),
                ('start', models.PositiveIntegerField(editable=False)),
                ('end', models.PositiveIntegerField(editable=False)),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('demand', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='positions.demand')),
                ('response', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='positions.response')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='citations', to='positions.source')),
                ('stance', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='positions.stance')),
                ('talk_round', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='citations', to='positions.talkround')),
            ],
            options={
                'ordering': ['order', 'pk'],
            },
            bases=(positions.validators.VisibleText, models.Model),
        ),
        migrations.AddConstraint(
            model_name='actor',
            constraint=models.CheckConstraint(condition=models.Q(('affiliation', models.F('id')), _negated=True), name='actor_not_own_affiliation', violation_error_message='An actor cannot be affiliated with itself.'),
        ),
        migrations.AddConstraint(
            model_name='issue',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('id')), _negated=True), name='issue_not_own_parent', violation_error_message='An issue cannot be its own parent.'),
        ),
        migrations.AddConstraint(
            model_name='talkround',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('date_precision', 'unknown'), ('start_date__isnull', True)), models.Q(models.Q(('date_precision', 'unknown'), _negated=True), ('start_date__isnull', False)), _connector='OR'), name='round_date_precision', violation_error_message='A date is given exactly when its precision is known.'),
        ),
        migrations.AddConstraint(
            model_name='talkround',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='round_dates_in_order', violation_error_message='A round cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='talkround',
            constraint=models.UniqueConstraint(fields=('order',), name='round_unique_order'),
        ),
        migrations.AddConstraint(
            model_name='stance',
            constraint=models.UniqueConstraint(condition=models.Q(('revision_of__isnull', True)), fields=('actor', 'issue', 'talk_round'), name='stance_unique_actor_issue_round', violation_error_message='This actor already has a stance on this issue at this round.'),
        ),
        migrations.AddConstraint(
            model_name='stance',
            constraint=models.UniqueConstraint(condition=models.Q(('revision_of__isnull', True), ('talk_round__isnull', True)), fields=('actor', 'issue'), name='stance_unique_actor_issue_no_round', violation_error_message='This actor already has a stance on this issue outside any round.'),
        ),
        migrations.AddConstraint(
            model_name='stance',
            constraint=models.UniqueConstraint(fields=('revision_of',), name='stance_one_pending_revision'),
        ),
        migrations.AddConstraint(
            model_name='stance',
            constraint=models.CheckConstraint(condition=models.Q(('revision_of__isnull', True), models.Q(('status', 'published'), _negated=True), _connector='OR'), name='stance_revision_never_public', violation_error_message='A proposed change is published by approving it, not by itself.'),
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.UniqueConstraint(condition=models.Q(('revision_of__isnull', True)), fields=('slug',), name='response_unique_slug', violation_error_message='This slug is taken.'),
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.UniqueConstraint(fields=('revision_of',), name='response_one_pending_revision'),
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.CheckConstraint(condition=models.Q(('revision_of__isnull', True), models.Q(('status', 'published'), _negated=True), _connector='OR'), name='response_revision_never_public', violation_error_message='A proposed change is published by approving it, not by itself.'),
        ),
        migrations.AddConstraint(
            model_name='demand',
            constraint=models.UniqueConstraint(condition=models.Q(('revision_of__isnull', True)), fields=('slug',), name='demand_unique_slug', violation_error_message='This slug is taken.'),
        ),
        migrations.AddConstraint(
            model_name='demand',
            constraint=models.UniqueConstraint(fields=('revision_of',), name='demand_one_pending_revision'),
        ),
        migrations.AddConstraint(
            model_name='demand',
            constraint=models.CheckConstraint(condition=models.Q(('revision_of__isnull', True), models.Q(('status', 'published'), _negated=True), _connector='OR'), name='demand_revision_never_public', violation_error_message='A proposed change is published by approving it, not by itself.'),
        ),
        migrations.AddConstraint(
            model_name='citation',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='citation_offsets_in_order', violation_error_message='A citation must end after it starts.'),
        ),
        migrations.AddConstraint(
            model_name='citation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('demand', None), ('response', None), ('stance__isnull', False), ('talk_round', None)), models.Q(('demand__isnull', False), ('response', None), ('stance', None), ('talk_round', None)), models.Q(('demand', None), ('response__isnull', False), ('stance', None), ('talk_round', None)), models.Q(('demand', None), ('response', None), ('stance', None), ('talk_round__isnull', False)), _connector='OR'), name='citation_cites_for_exactly_one', violation_error_message='A citation backs exactly one claim or round.'),
        ),
        migrations.RunPython(make_roles, remove_roles),
        migrations.RunPython(create, drop),
    ]
