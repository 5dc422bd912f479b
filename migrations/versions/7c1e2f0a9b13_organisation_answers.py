"""organisation-wide answers (questionnaire version 2, SPEC section 5)

Revision ID: 7c1e2f0a9b13
Revises: 7b7155426a72
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e2f0a9b13'
down_revision = '7b7155426a72'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('target', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IS NULL OR status IN ('dont_know', 'not_applicable')", name=op.f('ck_organisation_answers_status')),
    sa.CheckConstraint('level IS NULL OR (level BETWEEN 1 AND 5)', name=op.f('ck_organisation_answers_level')),
    sa.CheckConstraint('target IS NULL OR (target BETWEEN 1 AND 5)', name=op.f('ck_organisation_answers_target')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_answers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_organisation_answers_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_answers')),
    sa.UniqueConstraint('organisation_id', 'period', 'question_id', name=op.f('uq_organisation_answers_organisation_id_period_question_id'))
    )
    with op.batch_alter_table('organisation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_answers_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('organisation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_answers_organisation_id'))
    op.drop_table('organisation_answers')
