// Server-side SVG charts of abilities: pure functions from data to an accessible, deterministic SVG string.
export { abilityHistoryChart, type AbilityHistoryChartInput, type AbilityPoint, type ValueScale } from './ability-history-chart.js'
export { abilityDistributionChart, binValues, summarize, type AbilityDistributionChartInput, type DistributionMarkers, type Histogram } from './ability-distribution-chart.js'
export { ChartInputError, escapeXml } from './svg.js'
export { termGrowthChart, type TermGrowthChartInput, type TermPoint } from './term-growth-chart.js'
