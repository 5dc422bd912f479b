"""assessment rounds: period dates, carried answers, audit events, password resets

Revision ID: b7e1d2c4a9f0
Revises: 192af7c0b974
Create Date: 2026-12-02 00:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e1d2c4a9f0'
down_revision = '192af7c0b974'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('periods') as t:
        t.add_column(sa.Column('opens_on', sa.Date(), nullable=True))
        t.add_column(sa.Column('closes_on', sa.Date(), nullable=True))
    with op.batch_alter_table('assessments') as t:
        t.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        t.add_column(sa.Column('reopened_at', sa.DateTime(), nullable=True))
        t.create_foreign_key(op.f('fk_assessments_submitted_by_id_users'), 'users',
                             ['submitted_by_id'], ['id'])
    with op.batch_alter_table('answers') as t:
        t.add_column(sa.Column('carried', sa.Boolean(), server_default=sa.false(),
                               nullable=False))
    op.create_table('password_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_resets_token_hash'))
    )
    op.create_index(op.f('ix_password_resets_user_id'), 'password_resets', ['user_id'], unique=False)
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=20), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_audit_events_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_audit_events_department_id_departments')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_audit_events_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    op.create_index(op.f('ix_audit_events_organisation_id'), 'audit_events', ['organisation_id'], unique=False)
    op.create_index('ix_audit_events_org_kind_department', 'audit_events', ['organisation_id', 'kind', 'department_id'], unique=False)


def downgrade():
    op.drop_index('ix_audit_events_org_kind_department', table_name='audit_events')
    op.drop_index(op.f('ix_audit_events_organisation_id'), table_name='audit_events')
    op.drop_table('audit_events')
    op.drop_index(op.f('ix_password_resets_user_id'), table_name='password_resets')
    op.drop_table('password_resets')
    with op.batch_alter_table('answers') as t:
        t.drop_column('carried')
    with op.batch_alter_table('assessments') as t:
        t.drop_constraint(op.f('fk_assessments_submitted_by_id_users'), type_='foreignkey')
        t.drop_column('reopened_at')
        t.drop_column('submitted_by_id')
    with op.batch_alter_table('periods') as t:
        t.drop_column('closes_on')
        t.drop_column('opens_on')
