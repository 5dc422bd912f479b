"""assessment figures: block scores and recommended initiatives kept per assessment

Revision ID: 3f9a6c2d8e41
Revises: 7d41c0a9e2b6
Create Date: 2026-12-02 04:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "3f9a6c2d8e41"
down_revision = "7d41c0a9e2b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_figures",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=160), nullable=False),
        sa.Column("stamp", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name=op.f("fk_assessment_figures_assessment_id_assessments")),
        sa.PrimaryKeyConstraint("assessment_id", "kind", name=op.f("pk_assessment_figures")),
    )


def downgrade():
    op.drop_table("assessment_figures")
