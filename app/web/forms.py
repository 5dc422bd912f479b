"""WTForms forms shared by the web blueprints (questionnaire forms are built in assess_forms)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Enter your e-mail address.")),
        Length(max=254, message=_l("The e-mail address is too long."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Enter your password.")),
        Length(max=1000, message=_l("The password is too long."))])
    next = StringField()
