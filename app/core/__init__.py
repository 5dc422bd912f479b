"""The domain core: questionnaire model, scoring, recommendations, comparison. No Flask here."""
