using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CachedMethods.Generators.CodeFixes;

/// <summary>
/// Fixes CM0003 ("'dpi' may change the result but is not part of the cache key") in either of the two
/// ways the message offers: add the parameter to KeyParams, or mark it [NotCacheKey].
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeyParameterCodeFixProvider))]
public sealed class KeyParameterCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the "add to KeyParams" fix.</summary>
    public const string AddToKeyParams = "CM0003.AddToKeyParams";

    /// <summary>The equivalence key of the "mark [NotCacheKey]" fix.</summary>
    public const string MarkNotCacheKey = "CM0003.MarkNotCacheKey";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("CM0003");

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var parameter = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<ParameterSyntax>();
            var keyParams = parameter?.FirstAncestorOrSelf<MethodDeclarationSyntax>()?.AttributeLists
                .SelectMany(list => list.Attributes)
                .SelectMany(attribute => attribute.ArgumentList?.Arguments ?? default)
                .FirstOrDefault(argument => argument.NameEquals?.Name.Identifier.ValueText == "KeyParams");
            if (root is null || parameter is null)
            {
                continue;
            }

            var name = parameter.Identifier.ValueText;
            if (keyParams is not null && AddName(keyParams.Expression, name) is { } extended)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add '{name}' to KeyParams",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(keyParams.Expression, extended))),
                        AddToKeyParams),
                    diagnostic);
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Mark '{name}' [NotCacheKey]",
                    cancellationToken => Task.FromResult(MarkParameter(context.Document, root, parameter, cancellationToken)),
                    MarkNotCacheKey),
                diagnostic);
        }
    }

    private static ExpressionSyntax? AddName(ExpressionSyntax list, string name)
    {
        var element = SyntaxFactory.ParseExpression($"nameof({name})");
        return list switch
        {
            CollectionExpressionSyntax collection => collection.WithElements(
                collection.Elements.Add(SyntaxFactory.ExpressionElement(element))),
            ImplicitArrayCreationExpressionSyntax array => array.WithInitializer(Append(array.Initializer, element)),
            ArrayCreationExpressionSyntax { Initializer: { } initializer } array => array.WithInitializer(Append(initializer, element)),
            _ => null,
        };
    }

    private static InitializerExpressionSyntax Append(InitializerExpressionSyntax initializer, ExpressionSyntax element)
    {
        // The space before "}" stays before "}": it moves from the old last element to the new one.
        if (initializer.Expressions.LastOrDefault() is not { } last)
        {
            return initializer.AddExpressions(element);
        }

        var expressions = initializer.Expressions
            .Replace(last, last.WithoutTrailingTrivia())
            .Add(element.WithTrailingTrivia(last.GetTrailingTrivia()));
        return initializer.WithExpressions(expressions);
    }

    private static Document MarkParameter(Document document, SyntaxNode root, ParameterSyntax parameter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("NotCacheKey"))))
            .WithTrailingTrivia(SyntaxFactory.Space);
        var marked = parameter.WithoutLeadingTrivia()
            .WithAttributeLists(parameter.AttributeLists.Add(attribute))
            .WithLeadingTrivia(parameter.GetLeadingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(parameter, marked));
    }
}
