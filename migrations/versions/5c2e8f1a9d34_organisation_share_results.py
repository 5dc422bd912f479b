"""organisation setting share_results (own | all)

Revision ID: 5c2e8f1a9d34
Revises: 1acbbe0023ed
Create Date: 2026-12-02 00:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "5c2e8f1a9d34"
down_revision = "1acbbe0023ed"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("share_results", sa.String(length=10), nullable=False,
                                   server_default="own"))
        batch.create_check_constraint("share_results", "share_results IN ('own', 'all')")


def downgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("ck_organisations_share_results", type_="check")
        batch.drop_column("share_results")
