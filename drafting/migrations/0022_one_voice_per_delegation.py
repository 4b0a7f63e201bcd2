"""One voice per delegation: a round's ``counting``, and a vote cast for a delegation.

Rounds that exist already counted one vote per person (their votes were cast so), so they keep it;
a new round counts one voice per delegation unless its moderator chooses otherwise.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_organization_name_key_spacing'),
        ('drafting', '0021_search_vectors_in_the_models'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='vote',
            name='one_vote_per_clause',
        ),
        migrations.RemoveConstraint(
            model_name='vote',
            name='one_vote_per_amendment',
        ),
        migrations.AddField(
            model_name='historicalround',
            name='counting',
            field=models.CharField(choices=[('per_delegation', 'One voice per delegation'), ('per_person', 'One vote per person')], default='per_person', max_length=16),
        ),
        migrations.AddField(
            model_name='historicalvote',
            name='for_delegation',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='round',
            name='counting',
            field=models.CharField(choices=[('per_delegation', 'One voice per delegation'), ('per_person', 'One vote per person')], default='per_person', max_length=16),
        ),
        migrations.AddField(
            model_name='vote',
            name='for_delegation',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='historicalround',
            name='counting',
            field=models.CharField(choices=[('per_delegation', 'One voice per delegation'), ('per_person', 'One vote per person')], default='per_delegation', max_length=16),
        ),
        migrations.AlterField(
            model_name='round',
            name='counting',
            field=models.CharField(choices=[('per_delegation', 'One voice per delegation'), ('per_person', 'One vote per person')], default='per_delegation', max_length=16),
        ),
        migrations.AddConstraint(
            model_name='vote',
            constraint=models.UniqueConstraint(condition=models.Q(('clause__isnull', False), ('for_delegation', False)), fields=('round', 'voter', 'clause'), name='one_vote_per_clause'),
        ),
        migrations.AddConstraint(
            model_name='vote',
            constraint=models.UniqueConstraint(condition=models.Q(('amendment__isnull', False), ('for_delegation', False)), fields=('round', 'voter', 'amendment'), name='one_vote_per_amendment'),
        ),
        migrations.AddConstraint(
            model_name='vote',
            constraint=models.UniqueConstraint(condition=models.Q(('clause__isnull', False), ('for_delegation', True)), fields=('round', 'organization', 'clause'), name='one_delegation_vote_per_clause'),
        ),
        migrations.AddConstraint(
            model_name='vote',
            constraint=models.UniqueConstraint(condition=models.Q(('amendment__isnull', False), ('for_delegation', True)), fields=('round', 'organization', 'amendment'), name='one_delegation_vote_per_amendment'),
        ),
    ]
