# Videos, approvals, feedback and bug reports arrive with their issues.
