"""Points (积分) from HR's rules, leaderboards per team and centre, and the badges
(服务之星…) awarded by rules."""
