"""What the insights keep: saved what-if runs, attrition models and their scores, weight
proposals. Each section adds its models here; split into a package before ~600 lines."""
