# One module per concern (videos, reviews, reports).
