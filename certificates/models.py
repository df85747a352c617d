"""Certification programmes, issued certificates and their verification."""
