"""Councils: the tenants of a deployment. Every other row belongs to one."""
