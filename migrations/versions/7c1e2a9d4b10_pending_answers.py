"""pending answers of ended sessions, kept server-side

Revision ID: 7c1e2a9d4b10
Revises: b7e1d2c4a9f0
Create Date: 2026-12-02 00:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7c1e2a9d4b10'
down_revision = 'b7e1d2c4a9f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_answers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=64), nullable=False),
    sa.Column('form', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_answers'))
    )
    with op.batch_alter_table('pending_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_answers_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_answers_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_answers_expires_at'))
        batch_op.drop_index(batch_op.f('ix_pending_answers_user_id'))
    op.drop_table('pending_answers')
