import { describe, expect, it } from 'vitest'
import { href, parseRoute } from './router.ts'

describe('hash routes of the results and models pages', () => {
  it('[W24] an audit has a results page, reached by its own route', () => {
    expect(parseRoute(href.results(3))).toEqual({ page: 'results', audit: 3 })
    expect(parseRoute('#/audits/3/results?x')).toEqual({ page: 'results', audit: 3 })
    expect(parseRoute('#/audits/x/results').page).toBe('not-found')
  })

  it('[W29] the models page, with or without a model', () => {
    expect(parseRoute(href.models())).toEqual({ page: 'models', model: null })
    expect(parseRoute(href.models(2))).toEqual({ page: 'models', model: 2 })
    expect(parseRoute('#/models/abc').page).toBe('not-found')
  })

  it('[KC6] a dataset has a learnability page', () => {
    expect(parseRoute(href.learnability(4))).toEqual({ page: 'learnability', dataset: 4 })
    expect(parseRoute('#/datasets/4/learnability/x').page).toBe('not-found')
    expect(parseRoute('#/datasets/x/learnability').page).toBe('not-found')
  })
})
