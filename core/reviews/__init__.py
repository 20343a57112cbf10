"""What a council reviews on a cycle, and the reviews it has done."""
