"""action plans: plan items, joint initiatives' participants, plan audit trail

Revision ID: 7d41c0a9e2b6
Revises: 7c1e2a9d4b10
Create Date: 2026-12-02 01:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7d41c0a9e2b6"
down_revision = "7c1e2a9d4b10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("initiative_id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'dropped')",
                           name=op.f("ck_plan_items_status")),
        sa.CheckConstraint("due IS NULL OR start IS NULL OR due >= start",
                           name=op.f("ck_plan_items_dates")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_plan_items_department_id_departments")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_plan_items_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
    )
    op.create_index(op.f("ix_plan_items_department_id"), "plan_items", ["department_id"])
    op.create_index(op.f("ix_plan_items_organisation_id"), "plan_items", ["organisation_id"])
    op.create_table(
        "plan_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_plan_participants_department_id_departments")),
        sa.ForeignKeyConstraint(["item_id"], ["plan_items.id"],
                                name=op.f("fk_plan_participants_item_id_plan_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_participants")),
        sa.UniqueConstraint("item_id", "department_id",
                            name=op.f("uq_plan_participants_item_id_department_id")),
    )
    op.create_index(op.f("ix_plan_participants_department_id"), "plan_participants",
                    ["department_id"])
    op.create_index(op.f("ix_plan_participants_item_id"), "plan_participants", ["item_id"])
    op.create_table(
        "plan_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("initiative_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_plan_changes_department_id_departments")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_plan_changes_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_plan_changes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_changes")),
    )
    op.create_index(op.f("ix_plan_changes_organisation_id"), "plan_changes", ["organisation_id"])


def downgrade():
    op.drop_index(op.f("ix_plan_changes_organisation_id"), table_name="plan_changes")
    op.drop_table("plan_changes")
    op.drop_index(op.f("ix_plan_participants_item_id"), table_name="plan_participants")
    op.drop_index(op.f("ix_plan_participants_department_id"), table_name="plan_participants")
    op.drop_table("plan_participants")
    op.drop_index(op.f("ix_plan_items_organisation_id"), table_name="plan_items")
    op.drop_index(op.f("ix_plan_items_department_id"), table_name="plan_items")
    op.drop_table("plan_items")
