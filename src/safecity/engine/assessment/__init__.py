"""The Community Safety Strategic Assessment: one module per section, assembled by build.py."""
